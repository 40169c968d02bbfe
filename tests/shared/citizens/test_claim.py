"""Claiming an application a counter made for a walk-in citizen."""

import pytest
from django.utils import timezone

from kernel.errors import ConflictError, NotFoundError
from shared.citizens import services
from shared.citizens.models import ApplicationIndex, ApplicationStatus, CitizenProfile, Document
from tests.shared.citizens.conftest import NIK_BUDI, NIK_SITI, pdf_bytes, upload, walk_in


@pytest.fixture
def counter_record(db, region_a, make_user):
    """A citizen registered at the counter (no account) with one assisted application."""
    staff = make_user(role="operator", region=region_a)
    profile = services.citizen_register_at_counter(
        desk=services.CounterDesk(actor=staff, role="operator", region=region_a.region),
        data=walk_in(NIK_SITI, full_name="Mbah Siti"),
    )
    code, hashed = services.claim_code_new()
    row = ApplicationIndex.objects.create(
        region=region_a.region,
        application_id=1,
        profile=profile,
        number="3510-2026-000007",
        offering_name="KTP-el",
        status=ApplicationStatus.SUBMITTED,
        is_assisted=True,
        claim_code_hash=hashed,
        updated_at=timezone.now(),
    )
    return profile, row, code


def test_counter_registration_keeps_the_address_given_and_verifies_the_nik(counter_record):
    """The address is asked for, not derived from the NIK: Mbah Siti's NIK is from Banyuwangi,
    she lives in Kota Probolinggo now. Staff held her KTP-el: the NIK is verified by them."""
    profile, _row, _code = counter_record
    assert profile.user is None
    assert profile.birth_date.isoformat() == "1990-01-01"
    assert profile.gender == "P"
    assert profile.regency_code == "35.74"
    assert profile.province_code == "35"
    assert profile.registered_at_counter
    assert profile.nik_status == "verified"
    assert profile.nik_verified_method == "counter"
    assert profile.nik_verified_by_id == profile.created_by_id
    assert profile.nik_verified_region.code == "35.10"
    assert profile.nik_verified_at is not None


def test_counter_registration_refuses_a_bad_nik(db, region_a, make_user):
    from django.core.exceptions import ValidationError

    desk = services.CounterDesk(actor=make_user(), role="operator", region=region_a.region)
    with pytest.raises(ValidationError) as exc:
        services.citizen_register_at_counter(desk=desk, data=walk_in("123"))
    assert "nik" in exc.value.message_dict


def test_counter_registration_asks_for_the_address(db, region_a, make_user):
    from django.core.exceptions import ValidationError

    desk = services.CounterDesk(actor=make_user(), role="operator", region=region_a.region)
    with pytest.raises(ValidationError) as exc:
        services.citizen_register_at_counter(
            desk=desk, data=walk_in(NIK_SITI, address_line="", regency_code="")
        )
    assert set(exc.value.message_dict) >= {"address_line", "regency_code"}
    assert not CitizenProfile.objects.with_nik(NIK_SITI).exists()


def test_claim_attaches_the_account_and_folds_its_empty_profile(
    counter_record, make_user, doc_types
):
    profile, row, code = counter_record
    user = make_user(email="cucu@example.id")
    mine = services.profile_ensure(user=user)
    own_doc = services.document_upload(
        actor=user,
        profile=mine,
        document_type=doc_types["kk"],
        upload=upload("kk.pdf", pdf_bytes()),
    )
    claimed = services.application_claim(user=user, number=row.number.lower(), claim_code=code)
    assert claimed.claimed_at is not None
    profile.refresh_from_db()
    assert profile.user == user
    assert not CitizenProfile.objects.filter(pk=mine.pk).exists()
    assert Document.objects.get(pk=own_doc.pk).profile == profile


def test_wrong_code_or_number_gives_the_same_answer(counter_record, make_user):
    _profile, row, code = counter_record
    user = make_user()
    with pytest.raises(NotFoundError):
        services.application_claim(user=user, number=row.number, claim_code="AAAAAAAA")
    with pytest.raises(NotFoundError):
        services.application_claim(user=user, number="3510-2026-999999", claim_code=code)


def test_claim_codes_are_throttled_once_for_all_region_hosts(
    counter_record, make_user, client_a, client_b
):
    from shared.accounts.throttling import SCOPES

    _profile, row, code = counter_record
    user = make_user()
    limit = int(SCOPES["claim_code"].per_account.split("/")[0])
    for i in range(limit):
        client = client_a if i % 2 else client_b
        client.force_login(user)
        wrong = client.post("/warga/permohonan/klaim/", {"number": row.number, "claim_code": "X"})
        assert wrong.status_code == 400
    # Over the limit even the right code is refused, on either host, until the hour is over.
    client_a.force_login(user)
    refused = client_a.post("/warga/permohonan/klaim/", {"number": row.number, "claim_code": code})
    assert refused.status_code == 429
    assert "Terlalu banyak percobaan klaim" in refused.content.decode()
    api = client_b.post(
        "/api/v1/citizen/applications/claim/",
        {"number": row.number, "claim_code": code},
        content_type="application/json",
    )
    assert api.status_code == 429
    row.refresh_from_db()
    assert row.claimed_at is None


def test_someone_with_another_nik_cannot_claim(counter_record, make_citizen):
    _profile, row, code = counter_record
    user, _ = make_citizen(nik=NIK_BUDI)
    with pytest.raises(ConflictError):
        services.application_claim(user=user, number=row.number, claim_code=code)


def test_a_claimed_record_cannot_be_claimed_again(counter_record, make_user):
    _profile, row, code = counter_record
    services.application_claim(user=make_user(), number=row.number, claim_code=code)
    with pytest.raises(ConflictError):
        services.application_claim(user=make_user(), number=row.number, claim_code=code)


def test_claim_page_and_api(counter_record, make_user, client_a):
    from django.urls import reverse

    _profile, row, code = counter_record
    user = make_user()
    client_a.force_login(user)
    bad = client_a.post(reverse("citizens:claim"), {"number": row.number, "claim_code": "X"})
    assert bad.status_code == 400
    assert "tidak cocok" in bad.content.decode()
    response = client_a.post(
        "/api/v1/citizen/applications/claim/",
        {"number": row.number, "claim_code": code.lower()},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["number"] == row.number
