"""The national dashboard, the region's own dashboard and their API: figures from the roll-up
tables, filters, sort, drill-down, exports, flags, isolation and bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from tests.shared.monitoring.conftest import DAY


def _store(mpp, day, **figures):
    from shared.monitoring.rollups import region_days_store

    base = {
        "applications_received": 10,
        "applications_completed": 10,
        "applications_completed_on_time": 9,
        "applications_rejected": 0,
        "applications_overdue": 0,
        "channel_online": 7,
        "channel_assisted": 3,
        "channel_counter": 5,
        "tickets_served": 20,
        "tickets_no_show": 1,
        "wait_minutes_p50": 10.0,
        "wait_minutes_p90": 30.0,
        "processing_days_p50": 2.0,
        "processing_days_p90": 4.0,
    }
    region_days_store(region_id=mpp.region_id, rows={day: {**base, **figures}})


@pytest.fixture
def rolled_up(region_a, region_b):
    """30 days ending DAY: A on time; B slipping (SLA 50%) and silent for the last 20 days."""
    for i in range(30):
        day = DAY - dt.timedelta(days=i)
        _store(region_a, day)
        if i >= 20:
            _store(region_b, day, applications_completed_on_time=5)
        else:
            _store(
                region_b,
                day,
                applications_received=0,
                applications_completed=0,
                applications_completed_on_time=0,
                tickets_served=0,
                channel_online=0,
                channel_assisted=0,
                wait_minutes_p50=None,
            )
    return {"start": (DAY - dt.timedelta(days=29)).isoformat(), "end": DAY.isoformat()}


def test_dashboard_shows_headline_flags_and_tables(
    national_client, superadmin, rolled_up, django_assert_max_num_queries
):
    national_client.force_login(superadmin)
    with django_assert_max_num_queries(20):
        response = national_client.get("/pemantauan/", rolled_up)
    assert response.status_code == 200
    html = response.content.decode()
    # Headline: 300 + 100 received, previous period empty.
    assert 'data-key="applications_received"' in html
    headline = {h["key"]: h for h in response.context["headline"]}
    assert headline["applications_received"]["value"] == 400
    assert headline["sla"]["value"] == pytest.approx(100 * (270 + 50) / 400)
    rows = {r.code: r for r in response.context["page"]}
    assert rows["35.10"].flags == []
    assert set(rows["35.74"].flags) == {"sla", "inactive"}
    assert "<svg" in html
    assert "Tabel data grafik" in html
    assert "Jawa Timur" in html  # the province table
    # The region table's rows (written in Python, escaped): figures, flags, drill-down link.
    row_b = html.split('<tr data-code="35.74">', 1)[1].split("</tr>", 1)[0]
    assert f'href="/pemantauan/daerah/35.74/?start={rolled_up["start"]}&amp;end=' in row_b
    assert ">Kota Probolinggo</a>" in row_b
    assert '<td class="num">100</td><td class="num">50,0%</td>' in row_b
    assert "SLA di bawah 80%" in row_b
    assert "Tanpa aktivitas 14 hari" in row_b
    row_a = html.split('<tr data-code="35.10">', 1)[1].split("</tr>", 1)[0]
    assert '<ul class="flags"></ul>' in row_a
    # Headline with its trend against the (empty) previous period.
    received = html.split('data-key="applications_received">', 1)[1].split("</li>", 1)[0]
    assert '<span class="value">400</span>' in received
    empty = national_client.get("/pemantauan/", {**rolled_up, "q": "tidak ada daerah ini"})
    assert "Tidak ada MPP yang cocok." in empty.content.decode()


def test_dashboard_filters_sort_and_drill_down(national_client, superadmin, rolled_up):
    national_client.force_login(superadmin)
    only_flagged = national_client.get("/pemantauan/", {**rolled_up, "flag": "sla"})
    assert [r.code for r in only_flagged.context["page"]] == ["35.74"]
    by_name = national_client.get("/pemantauan/", {**rolled_up, "q": "banyu"})
    assert [r.code for r in by_name.context["page"]] == ["35.10"]
    by_sla = national_client.get("/pemantauan/", {**rolled_up, "sort": "-sla"})
    codes = [r.code for r in by_sla.context["page"]]
    assert codes.index("35.10") < codes.index("35.74")
    province = national_client.get("/pemantauan/", {**rolled_up, "province": "35"})
    assert {r.province_code for r in province.context["page"]} == {"35"}
    page = national_client.get("/pemantauan/daerah/35.74/", rolled_up)
    assert page.status_code == 200
    compare = {c["key"]: c for c in page.context["compare"]}
    assert compare["applications_received"]["value"] == 100
    assert compare["applications_received"]["median"] == 200  # median of 300 and 100
    assert national_client.get("/pemantauan/daerah/99.99/").status_code == 404


def test_exports_csv_and_xlsx(national_client, superadmin, rolled_up):
    from openpyxl import load_workbook

    national_client.force_login(superadmin)
    response = national_client.get("/pemantauan/ekspor.csv", {**rolled_up, "flag": "any"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Kode", "Kabupaten/kota"]
    assert [r[0] for r in rows[1:]] == ["35.74"]
    response = national_client.get("/pemantauan/ekspor.xlsx", rolled_up)
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    codes = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert {"35.10", "35.74"} <= set(codes)
    assert national_client.get("/pemantauan/ekspor.pdf").status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-11-23", "end": "2026-11-01"}, "sebelum"),
        ({"start": "2020-01-01", "end": "2026-11-01"}, "paling panjang"),
        ({"start": "kemarin", "end": "2026-11-01"}, "bukan tanggal"),
        ({"start": "2026-11-01"}, "Isi tanggal"),
        ({"province": "99"}, "tidak dikenal"),
    ],
)
def test_bad_ranges_get_a_message_not_a_500(national_client, superadmin, params, message):
    national_client.force_login(superadmin)
    response = national_client.get("/pemantauan/", params)
    assert response.status_code == 400
    assert message in response.content.decode()
    api = national_client.get("/api/v1/pemantauan/ringkasan/", params)
    assert api.status_code == 400
    assert message in api.json()["detail"]


def test_api_summary_and_regions(
    national_client, superadmin, rolled_up, django_assert_max_num_queries
):
    national_client.force_login(superadmin)
    with django_assert_max_num_queries(12):
        summary = national_client.get("/api/v1/pemantauan/ringkasan/", rolled_up).json()
    assert {h["key"]: h["value"] for h in summary["headline"]}["applications_received"] == 400
    assert len(summary["series"]["points"]) == 30
    regions = national_client.get("/api/v1/pemantauan/daerah/", {**rolled_up, "flag": "inactive"})
    assert [r["code"] for r in regions.json()["results"]] == ["35.74"]


def test_national_pages_and_api_refuse_everyone_but_superadmins(
    national_client, client_a, make_user, region_a
):
    from shared.accounts.models import Role

    assert national_client.get("/pemantauan/").status_code == 302  # to sign in
    assert national_client.get("/api/v1/pemantauan/ringkasan/").status_code in (401, 403)
    admin_a = make_user(role=Role.DPMPTSP_ADMIN, region=region_a)
    national_client.force_login(admin_a)
    for url in ("/pemantauan/", "/pemantauan/daerah/35.10/", "/pemantauan/ekspor.csv"):
        assert national_client.get(url).status_code == 404
    assert national_client.get("/api/v1/pemantauan/daerah/").status_code == 403
    # The national dashboard does not exist on a region's host.
    client_a.force_login(admin_a)
    assert client_a.get("/pemantauan/").status_code == 404


def test_region_admin_sees_only_their_own_region(
    client_a, client_b, make_user, region_a, region_b, rolled_up
):
    from shared.accounts.models import Role

    admin_a = make_user(role=Role.DPMPTSP_ADMIN, region=region_a)
    client_a.force_login(admin_a)
    page = client_a.get("/kelola/pemantauan/", rolled_up)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Median nasional" in html
    assert page.context["region"].code == "35.10"
    compare = {c["key"]: c for c in page.context["compare"]}
    assert compare["applications_received"]["value"] == 300
    api = client_a.get("/api/v1/pemantauan/mpp/", rolled_up).json()
    assert api["region"] == "35.10"
    export = client_a.get("/kelola/pemantauan/ekspor.csv", rolled_up).content.decode()
    lines = export.strip().splitlines()
    assert len(lines) == 31
    assert lines[1].startswith(rolled_up["start"])
    # Region A's admin on region B's host: nothing there for them.
    client_b.force_login(admin_a)
    assert client_b.get("/kelola/pemantauan/").status_code == 404
    assert client_b.get("/kelola/pemantauan/ekspor.csv").status_code == 404
    assert client_b.get("/api/v1/pemantauan/mpp/").status_code == 404
    # An operator of A is not an admin: 404 too. Anonymous: sign in.
    operator = make_user(role=Role.OPERATOR, region=region_a)
    client_a.force_login(operator)
    assert client_a.get("/kelola/pemantauan/").status_code == 404
    client_a.logout()
    assert client_a.get("/kelola/pemantauan/").status_code == 302
    assert client_a.get("/api/v1/pemantauan/mpp/").status_code == 404


def test_cached_figures_follow_every_roll_up_change(national_client, superadmin, rolled_up):
    national_client.force_login(superadmin)
    first = national_client.get("/api/v1/pemantauan/ringkasan/", rolled_up).json()
    again = national_client.get("/api/v1/pemantauan/ringkasan/", rolled_up).json()
    assert again == first
    _store_region_b_extra()
    after = national_client.get("/api/v1/pemantauan/ringkasan/", rolled_up).json()
    received = {h["key"]: h["value"] for h in after["headline"]}["applications_received"]
    assert received == 400 + 500 - 0  # DAY of region B: 0 received before, 500 now


def _store_region_b_extra():
    from shared.regions.models import Mpp

    _store(Mpp.objects.get(region__code="35.74"), DAY, applications_received=500)


def test_stalled_and_failed_onboardings_are_flagged(national_client, superadmin, rolled_up):
    """An onboarding that has not moved for 30 days, or whose provisioning failed, shows under
    "Onboarding macet"; a recent one that is moving does not."""
    from django.utils import timezone

    from onboarding.models import Onboarding, PipelineStep, Stage
    from shared.regions.models import Region

    def onboarding(code, stage, days_ago):
        o = Onboarding.objects.create(
            region=Region.objects.get(code=code), stage=stage, signer_name="Bupati",
            signer_title="Bupati", signed_on=DAY, occasion="Komitmen",
        )  # fmt: skip
        Onboarding.objects.filter(pk=o.pk).update(
            stage_changed_at=timezone.now() - dt.timedelta(days=days_ago)
        )
        return o

    onboarding("21.02", Stage.DESIGNATED, 45)  # Karimun: stalled for weeks
    failed = onboarding("21.01", Stage.PROVISIONING, 1)  # Bintan: recent, but a step failed
    PipelineStep.objects.create(
        onboarding=failed, pipeline="provision", name="schema", position=1, status="failed"
    )
    onboarding("11.01", Stage.COMMITTED, 3)  # moving: not flagged
    national_client.force_login(superadmin)
    response = national_client.get("/pemantauan/", rolled_up)
    html = response.content.decode()
    stalled = {s["code"]: s for s in response.context["stalled"]}
    assert set(stalled) == {"21.01", "21.02"}
    assert stalled["21.01"]["failed"] is True
    assert stalled["21.02"]["failed"] is False
    assert stalled["21.02"]["stage"] == "Ditetapkan"
    assert "Onboarding macet: 2" in html
    assert "Kabupaten Karimun" in html


def test_dashboard_shows_the_last_rollup_run_and_its_progress(
    national_client, superadmin, region_a, region_b, django_capture_on_commit_callbacks
):
    """The dashboard's one-round-trip state: the same version token as ``version_token`` and
    the latest run counted per status."""
    from shared.monitoring import rollups
    from tests.shared.monitoring.conftest import run_job

    token, last, progress = rollups.dashboard_state()
    assert (token, last, progress) == (rollups.version_token(), None, None)
    with django_capture_on_commit_callbacks(execute=False):
        rollups.rollup_request(actor=superadmin, start=DAY, end=DAY, region_code="35.74")
        job = rollups.rollup_request(actor=superadmin, start=DAY, end=DAY)
    token, last, progress = rollups.dashboard_state()
    assert token == rollups.version_token()
    assert last is not None
    assert (last.pk, last.kind) == (job.pk, "on_demand")
    assert progress == rollups.job_progress(job)
    assert progress["pending"] == progress["total"] >= 2
    run_job(job)
    token, _last, progress = rollups.dashboard_state()
    assert token == rollups.version_token()
    assert (progress["done"], progress["failed"], progress["percent"]) == (
        progress["total"],
        0,
        100,
    )
    national_client.force_login(superadmin)
    html = national_client.get("/pemantauan/").content.decode()
    n = progress["total"]
    assert f"{n} dari {n} daerah selesai, 0 gagal" in html
