"""The profile: NIK rules that fit real citizens (the address in any regency, former codes,
a birth-date difference confirmed and recorded), phone normalised, NIK unique and fixed once
applications exist."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from shared.citizens import services
from shared.citizens.models import ApplicationIndex, ApplicationStatus
from shared.citizens.validation import check_nik
from tests.shared.citizens.conftest import NIK_BUDI, NIK_MERAUKE, NIK_PROBOLINGGO, NIK_SITI

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
    info = check_nik(NIK_SITI, birth_date=dt.date(1990, 1, 1))
    assert info["gender"] == "P"
    assert info["regency_code"] == "35.10"
    assert info["birth_date_mismatch"] is False


def test_a_nik_from_before_the_papua_split_maps_to_todays_code():
    """Merauke was 91.01 and is 93.01 (Papua Selatan) since 2022; its NIKs still start 9101."""
    info = check_nik(NIK_MERAUKE, birth_date=None)
    assert info["issued_regency_code"] == "91.01"
    assert info["regency_code"] == "93.01"


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
        check_nik(nik, birth_date=None)
    assert message in " ".join(exc.value.message_dict["nik"])


def test_a_birth_date_the_nik_disagrees_with_is_flagged_not_refused():
    assert check_nik(NIK_SITI, birth_date=dt.date(1990, 1, 2))["birth_date_mismatch"] is True


def test_a_century_the_nik_cannot_tell_is_accepted():
    # 010125 is 1 January 2025 or 1925: a 101-year-old's NIK is still theirs.
    nik = "3510010101250001"
    assert not check_nik(nik, birth_date=dt.date(1925, 1, 1))["birth_date_mismatch"]


def test_a_citizen_who_moved_completes_the_profile(make_citizen):
    """A NIK issued in Banyuwangi, an address in Kota Probolinggo: a NIK is lifelong."""
    user, profile = make_citizen(complete=False)
    services.profile_update(
        actor=user,
        profile=profile,
        data={**COMPLETE, "regency_code": "35.74", "district_code": "35.74.01"},
    )
    profile.refresh_from_db()
    assert profile.is_complete
    assert profile.regency_code == "35.74"
    assert profile.nik == NIK_SITI


def test_a_merauke_resident_completes_the_profile(make_citizen):
    """NIK 9101… (issued before the 2022 split), address in Kabupaten Merauke, 93.01 today."""
    user, profile = make_citizen(complete=False)
    services.profile_update(
        actor=user,
        profile=profile,
        data={
            **COMPLETE,
            "nik": NIK_MERAUKE,
            "birth_date": dt.date(1988, 6, 17),
            "birth_place": "Merauke",
            "regency_code": "93.01",
            "district_code": "",
        },
    )
    profile.refresh_from_db()
    assert profile.is_complete
    assert profile.regency_code == "93.01"
    assert profile.province_code == "93"
    assert profile.nik_status == "declared"


def test_a_birth_date_difference_needs_confirmation_and_is_recorded(make_citizen):
    user, profile = make_citizen(complete=False)
    data = {**COMPLETE, "birth_date": dt.date(1990, 1, 2)}
    with pytest.raises(ValidationError) as exc:
        services.profile_update(actor=user, profile=profile, data=data)
    assert "centang konfirmasi" in exc.value.message_dict["birth_date"][0]
    profile.refresh_from_db()
    assert profile.nik is None
    services.profile_update(actor=user, profile=profile, data={**data, "confirm_birth_date": True})
    profile.refresh_from_db()
    assert profile.birth_date == dt.date(1990, 1, 2)
    assert profile.birth_date_mismatch_confirmed_at is not None
    # Corrected to agree with the NIK: the record of the difference goes.
    services.profile_update(actor=user, profile=profile, data=COMPLETE)
    profile.refresh_from_db()
    assert profile.birth_date_mismatch_confirmed_at is None


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
    data = {**COMPLETE, "birth_date": dt.date(1991, 5, 5), "regency_code": "99.99", "phone": "123"}
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
    assert "sengketa" in exc.value.message_dict["nik"][0]


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


def test_a_verified_nik_is_not_changed_online(make_citizen):
    from shared.citizens.models import NikStatus

    user, profile = make_citizen(nik=NIK_BUDI)
    profile.nik_status = NikStatus.VERIFIED
    profile.save()
    with pytest.raises(ValidationError) as exc:
        services.profile_update(
            actor=user,
            profile=profile,
            data={"nik": NIK_PROBOLINGGO, "birth_date": dt.date(1992, 3, 20)},
        )
    assert "loket" in exc.value.message_dict["nik"][0]


def test_a_new_phone_number_is_unverified(make_citizen):
    from django.utils import timezone

    user, profile = make_citizen()
    profile.phone_verified_at = timezone.now()
    profile.save()
    services.profile_update(actor=user, profile=profile, data={"phone": "0813-1111-2222"})
    profile.refresh_from_db()
    assert profile.phone == "+6281311112222"
    assert profile.phone_verified_at is None
