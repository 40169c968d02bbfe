"""The profile: NIK checked against birth date and region, phone normalised, NIK unique and
fixed once applications exist."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from shared.citizens import services
from shared.citizens.models import ApplicationIndex, ApplicationStatus
from shared.citizens.validation import check_nik
from tests.shared.citizens.conftest import NIK_BUDI, NIK_PROBOLINGGO, NIK_SITI

COMPLETE = {
    "nik": NIK_SITI,
    "full_name": "Siti  Aminah",
    "birth_place": "Banyuwangi",
    "birth_date": dt.date(1990, 1, 1),
    "address_line": "Jl. Ahmad Yani 1",
    "regency_code": "35.10",
    "district_code": "35.10.01",
    "phone": "0812-3456-7890",
}


def test_check_nik_returns_what_the_nik_encodes():
    info = check_nik(NIK_SITI, birth_date=dt.date(1990, 1, 1), regency_code="35.10")
    assert info["gender"] == "P"
    assert info["regency_code"] == "35.10"


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("351001410190000", "16 digit"),
        ("35100141019000ab", "16 digit"),
        ("9910014101900001", "provinsi"),
        ("3500004101900001", "00"),
        ("3510013213900001", "Tanggal lahir"),
        ("3510014101900000", "0000"),
    ],
)
def test_malformed_nik_is_refused_with_a_reason(nik, message):
    with pytest.raises(ValidationError) as exc:
        check_nik(nik, birth_date=None, regency_code=None)
    assert message in " ".join(exc.value.message_dict["nik"])


def test_birth_date_must_agree_with_the_nik():
    with pytest.raises(ValidationError) as exc:
        check_nik(NIK_SITI, birth_date=dt.date(1990, 1, 2), regency_code="35.10")
    assert "birth_date" in exc.value.message_dict


def test_a_century_the_nik_cannot_tell_is_accepted():
    # 010125 is 1 January 2025 or 1925: a 101-year-old's NIK is still theirs.
    nik = "3510010101250001"
    assert check_nik(nik, birth_date=dt.date(1925, 1, 1), regency_code="35.10")


def test_region_code_must_agree_with_the_address():
    with pytest.raises(ValidationError) as exc:
        check_nik(NIK_SITI, birth_date=dt.date(1990, 1, 1), regency_code="35.74")
    assert "35.10" in exc.value.message_dict["regency_code"][0]


def test_profile_update_normalises_and_derives(make_citizen):
    user, profile = make_citizen(complete=False)
    services.profile_update(actor=user, profile=profile, data=COMPLETE)
    profile.refresh_from_db()
    assert profile.full_name == "Siti Aminah"
    assert profile.phone == "+6281234567890"
    assert profile.gender == "P"
    assert profile.province_code == "35"
    assert profile.is_complete


def test_profile_update_reports_every_field(make_citizen):
    user, profile = make_citizen(complete=False)
    data = {**COMPLETE, "birth_date": dt.date(1991, 5, 5), "regency_code": "35.74", "phone": "123"}
    with pytest.raises(ValidationError) as exc:
        services.profile_update(actor=user, profile=profile, data=data)
    errors = exc.value.message_dict
    assert {"birth_date", "regency_code", "phone"} <= set(errors)
    profile.refresh_from_db()
    assert profile.nik is None  # nothing half-saved


def test_district_must_belong_to_the_regency(make_citizen):
    user, profile = make_citizen(complete=False)
    with pytest.raises(ValidationError) as exc:
        services.profile_update(
            actor=user, profile=profile, data={**COMPLETE, "district_code": "35.74.01"}
        )
    assert "district_code" in exc.value.message_dict


def test_nik_is_unique_across_citizens(make_citizen):
    make_citizen(nik=NIK_SITI)
    user, profile = make_citizen(complete=False)
    with pytest.raises(ValidationError) as exc:
        services.profile_update(actor=user, profile=profile, data=COMPLETE)
    assert "kode klaim" in exc.value.message_dict["nik"][0]


def test_nik_is_fixed_once_an_application_was_submitted(make_citizen, region_a):
    from django.utils import timezone

    user, profile = make_citizen(nik=NIK_BUDI)
    ApplicationIndex.objects.create(
        region=region_a.region,
        application_id=1,
        profile=profile,
        number="3510-2026-000001",
        offering_name="KTP-el",
        status=ApplicationStatus.SUBMITTED,
        updated_at=timezone.now(),
    )
    with pytest.raises(ValidationError) as exc:
        services.profile_update(
            actor=user,
            profile=profile,
            data={
                "nik": NIK_PROBOLINGGO,
                "birth_date": dt.date(1992, 3, 20),
                "regency_code": "35.74",
                "district_code": "",
            },
        )
    assert "tidak dapat diubah" in exc.value.message_dict["nik"][0]


def test_audit_entry_names_fields_never_values(make_citizen):
    from shared.audit.models import AuditEntry

    user, profile = make_citizen(complete=False)
    services.profile_update(actor=user, profile=profile, data=COMPLETE)
    entry = AuditEntry.objects.filter(action="citizens.profile.updated").latest("id")
    assert "nik" in entry.data["fields"]
    assert NIK_SITI not in str(entry.data)


def test_postal_code_comes_from_the_village(make_citizen):
    user, profile = make_citizen(complete=False)
    services.profile_update(
        actor=user, profile=profile, data={**COMPLETE, "village_code": "35.10.01.2001"}
    )
    profile.refresh_from_db()
    assert profile.postal_code == "68488"
