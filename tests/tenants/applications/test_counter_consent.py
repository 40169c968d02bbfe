"""Consent at the counter, tried as an attacker would: staff of any region can find that a
record exists, but see a masked name only; data and vault open after the citizen consents at
this counter (a one-time code, or the KTP-el in hand with a reason), for this staff member,
region and visit. NIK squatters never receive what a counter uploads for the real owner."""

import datetime as dt
import re
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from shared.citizens.models import (
    AccessAction,
    CitizenProfile,
    CounterConsent,
    DataAccessLog,
    Document,
    NikDispute,
    OneTimeCode,
    OutboxMessage,
)
from shared.citizens.otp import code_of
from tenants.applications.models import Application
from tests.shared.citizens.conftest import NIK_SITI, pdf_bytes, upload


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()  # search counters live in Redis for an hour
    yield
    cache.clear()


def _search(client, query):
    return client.post(reverse("applications:counter"), {"do": "search", "q": query})


def _account_code(profile) -> str:
    row = OneTimeCode.objects.filter(purpose="counter_consent", profile=profile).latest("id")
    return code_of(row)


def _consent_by_code(client, profile, channel="account"):
    url = reverse("applications:counter_consent", args=[profile.pk])
    client.post(url, {"do": "send", "channel": channel})
    return client.post(url, {"do": "code", "code": _account_code(profile)})


def test_another_regions_operator_sees_no_personal_data_until_consent(
    client_b, mpp_b, citizen, doc_types
):
    """Siti has never been to Kota Probolinggo; its operator looks her up by NIK."""
    profile = citizen.profile
    client_b.force_login(mpp_b.operator)
    found = _search(client_b, profile.nik)
    assert found.status_code == 302
    page = client_b.get(found["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert profile.masked_name in text
    for personal in (profile.full_name, profile.nik, profile.address_line, "Banyuwangi", "ktp.pdf"):
        assert personal not in text
    assert "Brankas dokumen warga" not in text  # no vault section before consent
    # No vault, no assisted form, no API data without consent.
    start = reverse("applications:counter_start", args=[profile.pk, mpp_b.offering.pk])
    assert client_b.get(start).status_code == 404
    api = client_b.get(f"/api/v1/staff/counter/citizens/{profile.pk}/")
    assert api.status_code == 404
    search = client_b.post(
        "/api/v1/staff/counter/search/", {"query": profile.nik}, content_type="application/json"
    )
    assert search.status_code == 200
    assert profile.full_name not in search.content.decode()
    assert search.json()["consented"] is False
    draft = client_b.post(
        "/api/v1/staff/counter/applications/",
        {"citizen": profile.pk, "offering": mpp_b.offering.pk},
        content_type="application/json",
    )
    assert draft.status_code == 404
    # The searches are in her access log, with who, role and region.
    entry = DataAccessLog.objects.filter(profile=profile, action=AccessAction.CITIZEN_SEARCHED)
    assert entry.count() == 2
    assert {e.region.code for e in entry} == {"35.74"}
    assert {e.role for e in entry} == {"operator"}


def test_consent_by_code_opens_data_and_vault_for_this_visit_only(
    client_a, client_b, mpp_a, mpp_b, citizen
):
    profile = citizen.profile
    client_a.force_login(mpp_a.operator)
    _search(client_a, profile.nik)
    consent_url = reverse("applications:counter_consent", args=[profile.pk])
    wrong = client_a.post(consent_url, {"do": "code", "code": "123456"}, follow=True)
    assert "Belum ada kode" in wrong.content.decode()
    _consent_by_code(client_a, profile)
    page = client_a.get(reverse("applications:counter_citizen", args=[profile.pk]))
    text = page.content.decode()
    assert profile.full_name in text
    assert profile.nik in text
    assert citizen.ktp.document_type.name in text  # the vault is offered now
    log = DataAccessLog.objects.get(profile=profile, action=AccessAction.CONSENT_GRANTED)
    assert (log.actor, log.role, log.region.code) == (mpp_a.operator, "operator", "35.10")
    assert log.booth_name.startswith("G1")  # the operator's only booth
    assert "Kode" in log.reason
    assert DataAccessLog.objects.filter(
        profile=profile, action=AccessAction.PROFILE_VIEWED
    ).exists()
    # Another operator of the same region, and region B, do not share the consent.
    client_a.force_login(mpp_a.other_operator)
    assert (
        client_a.get(reverse("applications:counter_citizen", args=[profile.pk])).status_code == 404
    )
    client_b.force_login(mpp_b.operator)
    _search(client_b, profile.nik)
    other = client_b.get(reverse("applications:counter_citizen", args=[profile.pk]))
    assert profile.full_name not in other.content.decode()
    # The visit ends: the consent with it.
    client_a.force_login(mpp_a.operator)
    client_a.post(consent_url, {"do": "end"})
    again = client_a.get(reverse("applications:counter_citizen", args=[profile.pk]))
    assert profile.full_name not in again.content.decode()


def test_the_code_reaches_the_verified_phone_and_the_account(client_a, mpp_a, citizen):
    profile = citizen.profile
    profile.phone_verified_at = timezone.now()
    profile.save()
    client_a.force_login(mpp_a.operator)
    _search(client_a, "0812-3456-7890")
    consent_url = reverse("applications:counter_consent", args=[profile.pk])
    client_a.post(consent_url, {"do": "send", "channel": "whatsapp"})
    message = OutboxMessage.objects.filter(reference="persetujuan-loket").latest("id")
    assert message.recipient == profile.phone
    assert message.channel == "whatsapp"
    assert "Ova Operator" in message.body
    assert "Banyuwangi" in message.body
    code = re.search(r"\b(\d{6})\b", message.body).group(1)
    # The citizen's account shows the same request and code.
    from django.test import Client

    own = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    own.force_login(citizen.user)
    assert code in own.get(reverse("citizens:access_log")).content.decode()
    client_a.post(consent_url, {"do": "code", "code": code})
    assert CounterConsent.objects.filter(profile=profile, method="code").exists()
    # An unverified channel is refused.
    profile.phone_verified_at = None
    profile.save()
    refused = client_a.post(consent_url, {"do": "send", "channel": "sms"}, follow=True)
    assert "belum terverifikasi" in refused.content.decode()


def test_consent_code_attempts_are_limited(client_a, mpp_a, citizen):
    profile = citizen.profile
    client_a.force_login(mpp_a.operator)
    _search(client_a, profile.nik)
    consent_url = reverse("applications:counter_consent", args=[profile.pk])
    client_a.post(consent_url, {"do": "send", "channel": "account"})
    right = _account_code(profile)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        client_a.post(consent_url, {"do": "code", "code": wrong})
    locked = client_a.post(consent_url, {"do": "code", "code": right}, follow=True)
    assert "Terlalu banyak percobaan" in locked.content.decode()
    assert not CounterConsent.objects.filter(profile=profile).exists()


def test_a_citizen_without_a_phone_consents_with_the_ktp_el(client_a, mpp_a, make_citizen):
    """A counter-registered elderly citizen (verified NIK, no phone) comes back another day."""
    from shared.citizens.services import CounterDesk, citizen_register_at_counter
    from tests.shared.citizens.conftest import walk_in

    desk = CounterDesk(actor=mpp_a.admin, role="dpmptsp_admin", region=mpp_a.mpp.region)
    profile = citizen_register_at_counter(
        desk=desk, data=walk_in("3510014508450003", full_name="Mbah Sumi")
    )
    client_a.force_login(mpp_a.operator)
    _search(client_a, profile.nik)
    page = client_a.get(reverse("applications:counter_citizen", args=[profile.pk]))
    assert "tidak punya nomor HP" in page.content.decode()
    url = reverse("applications:counter_consent", args=[profile.pk])
    no_reason = client_a.post(url, {"do": "ktp", "ktp_seen": "on", "birth_date": "1945-08-05"})
    assert no_reason.status_code == 400
    assert "alasan" in no_reason.content.decode().lower()
    wrong_date = client_a.post(
        url,
        {"do": "ktp", "ktp_seen": "on", "birth_date": "1945-08-06", "reason": "Lansia, tanpa HP"},
    )
    assert "tidak sesuai" in wrong_date.content.decode()
    ok = client_a.post(
        url,
        {"do": "ktp", "ktp_seen": "on", "birth_date": "1945-08-05", "reason": "Lansia, tanpa HP"},
    )
    assert ok.status_code == 302
    log = DataAccessLog.objects.get(
        profile=profile, action=AccessAction.CONSENT_GRANTED, actor=mpp_a.operator
    )
    assert log.reason == "Lansia, tanpa HP"
    assert "Mbah Sumi" in client_a.get(ok["Location"]).content.decode()


def test_a_nik_squatter_never_receives_the_counter_uploads(
    client_a, mpp_a, make_citizen, in_region, doc_types
):
    """Someone who knew Siti's NIK declared it on their own account. Siti walks in with her
    KTP-el and no access to that account: the KTP-el decides, not who registered first."""
    squatter_user, squatter = make_citizen(nik=NIK_SITI)
    client_a.force_login(mpp_a.operator)
    _search(client_a, NIK_SITI)
    url = reverse("applications:counter_consent", args=[squatter.pk])
    refused = client_a.post(
        url,
        {"do": "ktp", "ktp_seen": "on", "birth_date": "1990-01-01", "reason": "Tidak bawa HP"},
        follow=True,
    )
    assert "belum diverifikasi" in refused.content.decode()
    assert not CounterConsent.objects.filter(profile=squatter).exists()
    registration = {
        "do": "register",
        "nik": NIK_SITI,
        "full_name": "Siti Aminah",
        "birth_place": "Banyuwangi",
        "birth_date": "1990-01-01",
        "address_line": "Jl. Kenanga 3",
        "regency_code": "35.10",
    }
    conflict = client_a.post(reverse("applications:counter"), registration)
    assert conflict.status_code == 409
    assert "sengketa" in conflict.content.decode().lower()
    resolved = client_a.post(
        reverse("applications:counter"),
        {
            **registration,
            "do": "register_ktp_holder",
            "ktp_seen": "on",
            "reason": "KTP-el asli dibawa pemilik",
        },
    )
    assert resolved.status_code == 302, resolved.content.decode()[:2000]
    owner = CitizenProfile.objects.with_nik(NIK_SITI).get()
    assert owner.pk != squatter.pk
    assert owner.nik_status == "verified"
    squatter.refresh_from_db()
    assert squatter.nik is None
    assert NikDispute.objects.get(winner=owner).status == "resolved"
    assert OutboxMessage.objects.filter(profile=squatter, reference="sengketa-nik").exists()
    # The application and its scans go to the real owner.
    start = reverse("applications:counter_start", args=[owner.pk, mpp_a.offering.pk])
    response = client_a.post(
        start,
        {
            f"req-doc-{doc_types['ktp'].pk}-file": upload("ktp.pdf", pdf_bytes("asli")),
            f"req-doc-{doc_types['kk'].pk}-file": upload("kk.pdf", pdf_bytes("asli")),
            f"req-{mpp_a.text_key}-ok": "1",
            "field-keperluan": "Kerja",
            "client_key": str(uuid.uuid4()),
            "action": "submit",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Document.objects.filter(profile=owner).count() == 2
    assert not Document.objects.filter(profile=squatter).exists()
    with in_region(mpp_a.mpp):
        application = Application.objects.get(is_assisted=True)
    assert application.citizen_id == owner.pk
    assert DataAccessLog.objects.filter(
        profile=owner, action=AccessAction.ASSISTED_APPLICATION, actor=mpp_a.operator
    ).exists()
    # The squatter's own account shows none of it.
    from django.test import Client

    own = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    own.force_login(squatter_user)
    assert application.number not in own.get(reverse("citizens:applications")).content.decode()


def test_a_dispute_opened_online_is_resolved_at_the_counter_with_a_code(
    client_a, mpp_a, make_citizen
):
    _squatter_user, squatter = make_citizen(nik=NIK_SITI)
    owner_user, owner = make_citizen(complete=False)
    from django.test import Client

    own = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    own.force_login(owner_user)
    taken = own.post(
        reverse("citizens:profile"),
        {
            "nik": NIK_SITI,
            "full_name": "Siti Aminah",
            "birth_place": "Banyuwangi",
            "birth_date": "1990-01-01",
            "address_line": "Jl. Kenanga 3",
            "regency_code": "35.74",
        },
    )
    assert "ajukan sengketa" in taken.content.decode()
    own.post(reverse("citizens:nik_dispute"), {"nik": NIK_SITI})
    dispute = NikDispute.objects.get(status="open")
    assert (dispute.holder, dispute.claimant) == (squatter, owner)
    client_a.force_login(mpp_a.operator)
    _search(client_a, NIK_SITI)
    url = reverse("applications:counter_dispute", args=[squatter.pk])
    page = client_a.get(url)
    assert page.status_code == 200
    assert owner.full_name not in page.content.decode()  # masked until proven
    client_a.post(url, {"do": "send", "party": owner.pk, "channel": "account"})
    client_a.post(url, {"do": "code", "party": owner.pk, "code": _account_code(owner)})
    done = client_a.post(
        url,
        {
            "do": "resolve",
            "party": owner.pk,
            "ktp_seen": "on",
            "birth_date": "1990-01-01",
            "reason": "KTP-el asli cocok dengan pemohon",
        },
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    owner.refresh_from_db()
    squatter.refresh_from_db()
    assert owner.nik == NIK_SITI
    assert owner.nik_status == "verified"
    assert owner.nik_verified_region.code == "35.10"
    assert squatter.nik is None
    assert DataAccessLog.objects.filter(
        profile=squatter, action=AccessAction.DISPUTE_RESOLVED
    ).exists()


def test_counter_searches_are_limited_and_alert_the_supervisor(
    client_a, mpp_a, make_citizen, settings
):
    settings.MPP_COUNTER_SEARCHES_PER_OPERATOR_HOUR = 4
    settings.MPP_COUNTER_SEARCH_ALERT_AT = 0.75
    _user, profile = make_citizen()
    client_a.force_login(mpp_a.operator)
    statuses = [_search(client_a, profile.nik).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 302, 429]
    alerts = OutboxMessage.objects.filter(reference="alert-cari-warga")
    assert alerts.count() >= 1
    assert mpp_a.supervisor.email in {a.recipient for a in alerts}
    assert alerts.count() == alerts.values("recipient").distinct().count()  # once each
    # The region's limit holds across operators.
    settings.MPP_COUNTER_SEARCHES_PER_OPERATOR_HOUR = 100
    settings.MPP_COUNTER_SEARCHES_PER_REGION_HOUR = 6
    client_a.force_login(mpp_a.other_operator)
    assert _search(client_a, profile.nik).status_code == 302
    assert _search(client_a, profile.nik).status_code == 429


def test_archived_documents_are_never_attached(client_a, mpp_a, citizen, in_region):
    from shared.citizens.services import document_archive
    from tenants.applications import services

    document_archive(actor=citizen.user, document=citizen.kk)
    with in_region(mpp_a.mpp):
        _application, errors = services.application_draft_save(
            actor=citizen.user,
            citizen=citizen.profile,
            offering=mpp_a.offering,
            choices={f"doc-{citizen.kk.document_type_id}": citizen.kk.pk},
        )
    assert f"req-doc-{citizen.kk.document_type_id}" in errors
    owner = client_a
    owner.force_login(citizen.user)
    response = owner.post(
        "/api/v1/applications/",
        {
            "offering": mpp_a.offering.pk,
            "documents": {f"doc-{citizen.kk.document_type_id}": citizen.kk.pk},
        },
        content_type="application/json",
    )
    assert response.json()["problems"], response.content


def test_consent_lasts_one_visit(client_a, mpp_a, citizen):
    profile = citizen.profile
    client_a.force_login(mpp_a.operator)
    _search(client_a, profile.nik)
    _consent_by_code(client_a, profile)
    CounterConsent.objects.filter(profile=profile).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    page = client_a.get(reverse("applications:counter_citizen", args=[profile.pk]))
    assert profile.full_name not in page.content.decode()


def test_open_applications_per_service_count_per_verified_phone(
    mpp_a, citizen, make_citizen, in_region, settings, doc_types
):
    """Two accounts with one verified phone are one citizen for the open-application limit."""
    from kernel.errors import DomainError
    from shared.citizens.services import document_upload
    from tenants.applications import services

    settings.MPP_MAX_OPEN_APPLICATIONS_PER_SERVICE = 1
    now = timezone.now()
    CitizenProfile.objects.filter(pk=citizen.profile.pk).update(phone_verified_at=now)
    other_user, other = make_citizen(nik="3510011508850002")
    CitizenProfile.objects.filter(pk=other.pk).update(phone_verified_at=now)
    other.refresh_from_db()

    def submit(user, profile, ktp, kk):
        draft, _ = services.application_draft_save(
            actor=user,
            citizen=profile,
            offering=mpp_a.offering,
            answers={"keperluan": "Kerja"},
            choices={f"doc-{ktp.document_type_id}": ktp.pk, f"doc-{kk.document_type_id}": kk.pk},
            confirmations={mpp_a.text_key},
        )
        return services.application_submit(actor=user, application=draft)

    docs = [
        document_upload(
            actor=other_user,
            profile=other,
            document_type=doc_types[k],
            upload=upload(f"{k}.pdf", pdf_bytes()),
        )
        for k in ("ktp", "kk")
    ]
    with in_region(mpp_a.mpp):
        submit(citizen.user, citizen.profile, citizen.ktp, citizen.kk)
        with pytest.raises(DomainError) as exc:
            submit(other_user, other, *docs)
    assert exc.value.code == "limit_open_applications"


def test_the_demo_operator_serves_the_demo_citizen_only_through_consent(client_a, region_a):
    """What `make run` seeds: the operator finds the demo citizen, sees the masked name, and
    serves her after the code her account shows."""
    from shared.accounts.models import Membership, Role, User
    from shared.citizens.demo import DEMO_NIK, seed_demo_citizen

    citizen_user = User.objects.create_user(
        email="warga-demo@example.id", password="x", full_name="Siti Warga"
    )
    profile = seed_demo_citizen(citizen_user)
    operator = User.objects.create_user(
        email="petugas-demo@mpp.test", password="x", full_name="Petugas Loket"
    )
    Membership.objects.create(user=operator, region=region_a.region, role=Role.OPERATOR)
    client_a.force_login(operator)
    _search(client_a, DEMO_NIK)
    before = client_a.get(reverse("applications:counter_citizen", args=[profile.pk]))
    assert "Siti Warga" not in before.content.decode()
    assert "S*** W****" in before.content.decode()
    _consent_by_code(client_a, profile, channel="whatsapp")
    after = client_a.get(reverse("applications:counter_citizen", args=[profile.pk]))
    assert "Siti Warga" in after.content.decode()
    assert DataAccessLog.objects.filter(
        profile=profile, action=AccessAction.CONSENT_GRANTED
    ).exists()


def test_a_staff_read_through_the_api_is_in_the_access_log(client_a, mpp_a, submitted, citizen):
    client_a.force_login(mpp_a.operator)
    response = client_a.get(f"/api/v1/staff/applications/{submitted.pk}/")
    assert response.status_code == 200
    assert response.json()["applicant"]["nik"] == citizen.profile.nik
    entry = DataAccessLog.objects.get(
        profile=citizen.profile, action=AccessAction.APPLICATION_OPENED
    )
    assert entry.via == "api"
    assert entry.actor == mpp_a.operator
    assert entry.reference == submitted.number
