"""The survey's pages: answering by link (no account), bad input with every answer kept, used /
expired / unknown / foreign invitations, the booth tablet, the public IKM, the admin report as
page, CSV and PDF; and who may see what (another region's staff and anonymous users: 404)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from kernel.routing import region_url
from tenants.survey.models import ExtraQuestion, FollowUpAction, Response
from tests.tenants.queue.factories import queue_offering
from tests.tenants.survey.factories import answers, invitation, respond


@pytest.fixture
def in_a(region_a, in_region):
    """``with in_a():`` runs ORM code in region A's schema (a request leaves it in public)."""
    return lambda: in_region(region_a)


@pytest.fixture
def open_invitation(in_a):
    with in_a():
        offering = queue_offering(prefix="W", name="Layanan Uji Survei")
        return invitation(offering, reference="W-007")


def test_answer_by_link_without_an_account(client_a, open_invitation, in_a):
    url = f"/survei/isi/{open_invitation.token}/"
    page = client_a.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "kesesuaian persyaratan pelayanan" in html
    assert html.count('type="radio" name="u') == 36  # nine elements × four answers
    assert "Sangat sesuai" in html
    assert "Layanan Uji Survei" in html
    assert 'src="/static/survey/survey.js"' in html
    assert "<script>" not in html  # no inline script

    done = client_a.post(url, answers((4, 4, 3, 3, 4, 3, 4, 2, 3)))
    assert done.status_code == 302
    assert done["Location"] == f"/survei/isi/{open_invitation.token}/terima-kasih/"
    thanks = client_a.get(done["Location"])
    assert thanks.status_code == 200
    assert "Terima kasih" in thanks.content.decode()
    assert 'data-survey-done="1"' in thanks.content.decode()  # the script clears the draft
    with in_a():
        response = Response.objects.get(offering=open_invitation.offering_id)
    assert response.channel == "link"
    assert response.scores == (4, 4, 3, 3, 4, 3, 4, 2, 3)

    again = client_a.post(url, answers((1,) * 9))
    assert again.status_code == 409
    assert "sudah diisi" in again.content.decode()
    assert client_a.get(url).status_code == 409
    with in_a():
        assert Response.objects.filter(offering=open_invitation.offering_id).count() == 1


def test_english(client_a, open_invitation):
    page = client_a.get(f"/survei/isi/{open_invitation.token}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "How well did the service requirements fit the kind of service?" in html
    assert "Very appropriate" in html


def test_mistakes_come_back_with_every_answer_kept(client_a, open_invitation, in_a):
    data = answers((4, 3, 2, 1, 4, 3, 2, 1, 4), suggestion="Antrean lebih cepat")
    data["u5"] = ""  # not answered
    data["u7"] = "9"  # out of range (a tampered form)
    page = client_a.post(f"/survei/isi/{open_invitation.token}/", data)
    assert page.status_code == 400
    html = page.content.decode()
    assert "Pilih salah satu jawaban untuk unsur Produk spesifikasi jenis pelayanan" in html
    assert "Jawaban unsur Perilaku pelaksana harus bernilai 1 sampai 4" in html
    assert 'name="u1" value="4" checked' in html
    assert 'name="u4" value="1" checked' in html
    assert "Antrean lebih cepat" in html
    assert 'value="34"' in html
    with in_a():
        assert not Response.objects.filter(offering=open_invitation.offering_id).exists()


def test_unknown_expired_and_foreign_invitations(client_a, client_b, in_a, open_invitation):
    unknown = client_a.get("/survei/isi/bukan-token-yang-benar/")
    assert unknown.status_code == 404
    assert "belum selesai" in unknown.content.decode()
    with in_a():
        old = invitation(finished_at=timezone.now() - dt.timedelta(days=31))
    expired = client_a.get(f"/survei/isi/{old.token}/")
    assert expired.status_code == 410
    assert "sudah habis" in expired.content.decode()
    # Region A's invitation on region B's site does not exist there.
    foreign = client_b.post(f"/survei/isi/{open_invitation.token}/", answers((4,) * 9))
    assert foreign.status_code == 404
    with in_a():
        assert not Response.objects.filter(offering=open_invitation.offering_id).exists()


def test_the_national_site_has_no_survey(national_client, open_invitation):
    assert national_client.get(f"/survei/isi/{open_invitation.token}/").status_code == 404
    assert national_client.get("/survei/").status_code == 404


def test_extra_regional_questions_are_optional_and_kept_apart(client_a, open_invitation, in_a):
    with in_a():
        question = ExtraQuestion.objects.create(text_id="Apakah toilet bersih?", kind="scale")
    page = client_a.get(f"/survei/isi/{open_invitation.token}/")
    assert "Apakah toilet bersih?" in page.content.decode()
    bad = client_a.post(
        f"/survei/isi/{open_invitation.token}/", {**answers((3,) * 9), f"q{question.pk}": "7"}
    )
    assert bad.status_code == 400
    ok = client_a.post(
        f"/survei/isi/{open_invitation.token}/", {**answers((3,) * 9), f"q{question.pk}": "2"}
    )
    assert ok.status_code == 302
    with in_a():
        response = Response.objects.get(offering=open_invitation.offering_id)
    assert response.extra_answers == {str(question.pk): 2}


# --- the booth tablet -----------------------------------------------------------------------------


def test_tablet_is_for_staff_or_a_kiosk(client_a, in_a, operator_a, make_user, region_b):
    from shared.accounts.models import Role
    from tenants.queue.services.kiosk import COOKIE_NAME, kiosk_device_create

    assert client_a.get("/survei/tablet/").status_code == 403
    stranger = make_user(role=Role.DPMPTSP_ADMIN, region=region_b)
    client_a.force_login(stranger)
    assert client_a.get("/survei/tablet/").status_code == 403
    client_a.logout()
    client_a.force_login(operator_a)
    assert client_a.get("/survei/tablet/").status_code == 200
    client_a.logout()
    with in_a():
        _device, token = kiosk_device_create(actor=operator_a, name="Tablet gerai 1")
    client_a.cookies[COOKIE_NAME] = token
    assert client_a.get("/survei/tablet/").status_code == 200


def test_tablet_starts_from_a_ticket_number(client_a, in_a, operator_a):
    with in_a():
        inv = invitation(queue_offering(prefix="K"), reference="K-021")
    client_a.force_login(operator_a)
    wrong = client_a.post("/survei/tablet/", {"number": "K-22"})
    assert wrong.status_code == 404
    assert "K-022 belum selesai dilayani" in wrong.content.decode()
    empty = client_a.post("/survei/tablet/", {"number": "???"})
    assert empty.status_code == 400
    go = client_a.post("/survei/tablet/", {"number": "k21"})
    assert go.status_code == 302
    assert go["Location"] == f"/survei/isi/{inv.token}/?mode=tablet"
    form = client_a.get(go["Location"])
    assert 'name="mode" value="tablet"' in form.content.decode()
    done = client_a.post(f"/survei/isi/{inv.token}/", {**answers((3,) * 9), "mode": "tablet"})
    assert done["Location"].endswith("?mode=tablet")
    thanks = client_a.get(done["Location"]).content.decode()
    assert 'http-equiv="refresh"' in thanks  # back to the start for the next person
    with in_a():
        assert Response.objects.get(offering=inv.offering_id).channel == "tablet"
    used = client_a.post("/survei/tablet/", {"number": "K-021"})
    assert used.status_code == 409


# --- public ---------------------------------------------------------------------------------------


def test_public_ikm_page_and_the_offering_page(client_a, in_a, django_assert_max_num_queries):
    with in_a():
        offering = queue_offering(prefix="V", name="Layanan Publik IKM")
        respond(offering, (4, 4, 4, 4, 4, 4, 4, 3, 3))
    with django_assert_max_num_queries(12):
        page = client_a.get("/survei/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Layanan Publik IKM" in html
    assert '<span class="ikm">94,44</span>' in html  # 34 × 25 / 9, shown the Indonesian way
    assert "Sangat baik" in html
    detail = client_a.get(f"/layanan/{offering.code}/").content.decode()
    assert "94,44" in detail


# --- the admin's report ---------------------------------------------------------------------------


def test_report_access(client_a, client_b, in_a, admin_a, admin_b, operator_a):
    shown = {
        "/survei/kelola/": lambda r: (
            "Laporan Survei Kepuasan Masyarakat" in r.content.decode()
            and 'name="periode"' in r.content.decode()
        ),
        "/survei/kelola/laporan.csv": lambda r: (
            r["Content-Type"].startswith("text/csv") and b"IKM" in r.content
        ),
        "/survei/kelola/laporan.pdf": lambda r: r.content.startswith(b"%PDF"),
        "/survei/kelola/tren/": lambda r: "NRR per unsur, per bulan" in r.content.decode(),
        "/survei/kelola/pengaturan/": lambda r: (
            'name="invitation_valid_days"' in r.content.decode()
        ),
    }
    for path in ("/survei/kelola/", "/survei/kelola/laporan.csv", "/survei/kelola/laporan.pdf",
                 "/survei/kelola/tren/", "/survei/kelola/pengaturan/"):  # fmt: skip
        anonymous = client_a.get(path)
        assert anonymous.status_code == 302, path  # anonymous: sign in first
        assert anonymous["Location"].startswith("/akun/masuk/"), path
        client_a.force_login(operator_a)
        assert client_a.get(path).status_code == 404, path  # not an admin
        client_a.force_login(admin_b)
        assert client_a.get(path).status_code == 404, path  # another region's admin
        client_a.force_login(admin_a)
        owner = client_a.get(path)
        assert owner.status_code == 200, path
        assert shown[path](owner), path  # the admin gets the page itself, not a shell
        client_a.logout()
    client_b.force_login(admin_a)
    assert client_b.get("/survei/kelola/").status_code == 404


def test_report_page_csv_and_pdf(client_a, in_a, admin_a, django_assert_max_num_queries):
    with in_a():
        offering = queue_offering(prefix="Q", name="Layanan Laporan")
        respond(offering, (4,) * 9, suggestion="Petugas sangat ramah 👍")
        respond(offering, (2,) * 9)
    period = timezone.localdate().strftime("%Y-%m")
    client_a.force_login(admin_a)
    with django_assert_max_num_queries(30):
        page = client_a.get(f"/survei/kelola/?periode={period}")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="report-ikm"' in html
    assert '<span class="ikm">75,00</span>' in html
    assert "Kurang baik" in html
    assert "Petugas sangat ramah" in html
    assert 'id="below-min-sample"' not in html  # 2 of 2 transactions answered
    csv = client_a.get(f"/survei/kelola/laporan.csv?periode={period}&layanan={offering.pk}")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "IKM,75.00" in text
    assert "Petugas sangat ramah 👍" in text
    pdf = client_a.get(f"/survei/kelola/laporan.pdf?periode={period}")
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Laporan Hasil Survei Kepuasan Masyarakat" in text
    assert "75,00" in text  # IKM, the Indonesian way
    assert "Kurang baik" in text
    assert "Sarana dan prasarana" in text
    assert "Petugas sangat ramah" in text  # the emoji is dropped, the words stay


@pytest.mark.parametrize(
    "query", ["periode=2026-13", "periode=kemarin", "layanan=abc", "gerai=999999"]
)
def test_report_bad_query_is_a_message_not_an_error(client_a, in_a, admin_a, query):
    client_a.force_login(admin_a)
    page = client_a.get(f"/survei/kelola/?{query}")
    assert page.status_code == 400
    assert 'class="card errorlist"' in page.content.decode()
    assert client_a.get(f"/survei/kelola/laporan.pdf?{query}").status_code == 400


def test_below_min_sample_is_flagged(client_a, in_a, admin_a):
    with in_a():
        offering = queue_offering(prefix="M")
        respond(offering, (3,) * 9)
        for _ in range(20):
            invitation(offering)
    client_a.force_login(admin_a)
    page = client_a.get(f"/survei/kelola/?layanan={offering.pk}&periode="
                        + timezone.localdate().strftime("%Y-%m"))  # fmt: skip
    html = page.content.decode()
    assert 'id="below-min-sample"' in html
    assert "1 responden dari 21 transaksi selesai; sampel minimum (Krejcie–Morgan): 24." in html


def test_follow_up_plan_and_settings(client_a, in_a, admin_a):
    client_a.force_login(admin_a)
    added = client_a.post(
        "/survei/kelola/tindak-lanjut/",
        {"periode": "2026-S1", "element": "u3", "action": "Tambah loket", "schedule": "Juli"},
    )
    assert added.status_code == 302
    with in_a():
        row = FollowUpAction.objects.get(period="2026-S1")
    assert (row.element, row.action, row.created_by_id) == ("u3", "Tambah loket", admin_a.pk)
    refused = client_a.post("/survei/kelola/tindak-lanjut/", {"periode": "2026-S1", "action": ""})
    assert refused.status_code == 302
    with in_a():
        assert FollowUpAction.objects.filter(period="2026-S1").count() == 1
    assert client_a.post(f"/survei/kelola/tindak-lanjut/{row.pk}/hapus/").status_code == 302
    with in_a():
        assert not FollowUpAction.objects.filter(pk=row.pk).exists()

    saved = client_a.post(
        "/survei/kelola/pengaturan/", {"do": "settings", "invitation_valid_days": "14"}
    )
    assert saved.status_code == 302
    bad = client_a.post(
        "/survei/kelola/pengaturan/", {"do": "settings", "invitation_valid_days": "-3"}
    )
    assert bad.status_code == 400
    assert "1–365" in bad.content.decode()
    made = client_a.post(
        "/survei/kelola/pengaturan/",
        {"do": "question", "text_id": "Apakah parkir memadai?", "kind": "scale", "is_active": "on"},
    )
    assert made.status_code == 302
    with in_a():
        assert ExtraQuestion.objects.filter(text_id="Apakah parkir memadai?").exists()


def test_another_regions_follow_up_row_is_not_found(client_b, admin_b, in_a):
    with in_a():
        row = FollowUpAction.objects.create(period="2026", action="A saja")
    client_b.force_login(admin_b)
    assert client_b.post(f"/survei/kelola/tindak-lanjut/{row.pk}/hapus/").status_code == 404


def test_the_ticket_printout_shows_the_survey_qr(client_a, in_a, region_a, operator_a):
    from tenants.survey.links import invitation_token
    from tests.tenants.queue.factories import walk_in_today

    with in_a():
        ticket = walk_in_today(queue_offering(prefix="J"))
        token = invitation_token("queue_ticket", ticket.pk)
    client_a.force_login(operator_a)
    page = client_a.get(f"/antrean/kiosk/tiket/{ticket.pk}/").content.decode()
    assert region_url(region_a.region.slug, f"/survei/isi/{token}/") in page
    assert 'aria-label="Kode QR survei kepuasan"' in page


def test_the_survey_is_light_for_a_cheap_phone(client_a, open_invitation):
    """HTML plus every stylesheet and script it loads stays under 50 KB (DESIGN.md target)."""
    import re
    from pathlib import Path

    from django.contrib.staticfiles import finders

    html = client_a.get(f"/survei/isi/{open_invitation.token}/").content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert assets
    total = len(html) + sum(Path(finders.find(a.decode())).stat().st_size for a in assets)
    assert total < 50 * 1024, total
