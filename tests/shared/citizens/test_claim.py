"""Claiming an application a counter made for a walk-in citizen."""

import pytest
from django.utils import timezone

from kernel.errors import ConflictError, DomainError, NotFoundError
from shared.citizens import services
from shared.citizens.models import ApplicationIndex, ApplicationStatus, CitizenProfile, Document
from tests.shared.citizens.conftest import NIK_BUDI, NIK_SITI, pdf_bytes, upload


@pytest.fixture
def counter_record(db, region_a, make_user):
    """A citizen registered at the counter (no account) with one assisted application."""
    staff = make_user()
    profile = services.citizen_register_at_counter(
        actor=staff, region=region_a.region, nik=NIK_SITI, full_name="Mbah Siti"
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


def test_counter_registration_derives_birth_date_and_region_from_the_nik(counter_record):
    profile, _row, _code = counter_record
    assert profile.user is None
    assert profile.birth_date.isoformat() == "1990-01-01"
    assert profile.gender == "P"
    assert profile.regency_code == "35.10"
    assert profile.registered_at_counter


def test_counter_registration_refuses_a_bad_nik(db, region_a, make_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.citizen_register_at_counter(
            actor=make_user(), region=region_a.region, nik="123", full_name="X"
        )
    assert "nik" in exc.value.message_dict


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


def test_claims_are_rate_limited(counter_record, make_user):
    from django.core.cache import cache

    _profile, row, code = counter_record
    user = make_user()
    cache.delete(f"citizens:claim-attempts:{user.pk}")
    for _ in range(services.CLAIM_ATTEMPTS_PER_HOUR):
        with pytest.raises(NotFoundError):
            services.application_claim(user=user, number=row.number, claim_code="WRONG")
    with pytest.raises(DomainError) as exc:
        services.application_claim(user=user, number=row.number, claim_code=code)
    assert exc.value.code == "throttled"
    cache.delete(f"citizens:claim-attempts:{user.pk}")


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
