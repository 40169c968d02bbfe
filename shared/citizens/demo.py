"""Demo data for the citizen's side: the demo citizen's profile (declared NIK, verified phone
and e-mail) and the local civil register the Dukcapil adapter reads. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from shared.citizens.crypto import encrypt_nik, nik_indexes
from shared.citizens.models import CitizenProfile, CivilRegistryEntry
from shared.citizens.services.accounts import profile_ensure

DEMO_NIK = "3510014101900001"  # Kabupaten Banyuwangi, perempuan, lahir 1 Januari 1990
DEMO_PHONE = "+6281234567890"


def civil_registry_add(*, nik: str, full_name: str, birth_date: dt.date) -> CivilRegistryEntry:
    """One entry of the local civil register (LocalRegistryAdapter)."""
    from shared.citizens.crypto import nik_index

    entry = CivilRegistryEntry.objects.filter(nik_index__in=nik_indexes(nik)).first()
    if entry is None:
        entry = CivilRegistryEntry(nik_index=nik_index(nik))
    entry.nik_encrypted = encrypt_nik(nik)
    entry.full_name, entry.birth_date = full_name, birth_date
    entry.save()
    return entry


def seed_demo_citizen(user) -> CitizenProfile:
    """The demo citizen ("Siti Warga"): a complete profile with a declared NIK, a verified phone
    (consent codes reach the outbox) and a verified e-mail; listed in the local civil register."""
    profile = profile_ensure(user=user)
    if not profile.nik and not CitizenProfile.objects.with_nik(DEMO_NIK).exists():
        profile.nik = DEMO_NIK
        profile.full_name = user.full_name or "Siti Warga"
        profile.birth_place = "Banyuwangi"
        profile.birth_date = dt.date(1990, 1, 1)
        profile.gender = "P"
        profile.address_line = "Jl. Ahmad Yani 1, RT 01/RW 02"
        profile.province_code, profile.regency_code = "35", "35.10"
        profile.district_code = "35.10.01"
        profile.phone = DEMO_PHONE
        profile.phone_verified_at = profile.email_verified_at = timezone.now()
        profile.save()
    civil_registry_add(nik=DEMO_NIK, full_name=profile.full_name, birth_date=dt.date(1990, 1, 1))
    return profile
