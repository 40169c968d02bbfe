"""NIK encryption at rest: the column holds no NIK, lookups and uniqueness still work through
the keyed blind index, keys rotate, and existing rows are migrated."""

import hashlib

import pytest
from django.core.management import call_command
from django.db import connection

from shared.citizens.crypto import decrypt_nik, nik_index
from shared.citizens.models import CitizenProfile
from shared.citizens.selectors import citizen_find
from tests.shared.citizens.conftest import NIK_BUDI, NIK_SITI

NEW_KEY = "bmV3LWtleS1mb3Itcm90YXRpb24tdGVzdHMtMzItYnk="  # base64 of 32 bytes


def _raw_columns(profile_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT row_to_json(p)::text FROM citizens_citizenprofile p WHERE id = %s",
            [profile_id],
        )
        return cursor.fetchone()[0]


def test_the_stored_row_holds_no_nik_while_lookup_works(make_citizen):
    _user, profile = make_citizen(nik=NIK_SITI)
    raw = _raw_columns(profile.pk)
    assert NIK_SITI not in raw
    assert "3510" + "01410190" not in raw  # not even the middle digits
    # Keyed: an unkeyed hash of a 16-digit NIK is reversed by trying every plausible NIK.
    assert profile.nik_index
    assert hashlib.sha256(NIK_SITI.encode()).hexdigest() not in raw
    assert citizen_find(NIK_SITI) == profile
    assert citizen_find("3510 0141 0190 0001") == profile
    assert CitizenProfile.objects.with_nik(NIK_SITI).get() == profile
    fresh = CitizenProfile.objects.get(pk=profile.pk)
    assert fresh.nik == NIK_SITI
    assert fresh.masked_nik == "3510********0001"


def test_the_blind_index_enforces_uniqueness(make_citizen):
    from django.db import IntegrityError, transaction

    make_citizen(nik=NIK_SITI)
    _user, other = make_citizen(complete=False)
    other.nik = NIK_SITI
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_changing_the_nik_resets_its_verification(make_citizen):
    from django.utils import timezone

    _user, profile = make_citizen(nik=NIK_SITI)
    profile.nik_status, profile.nik_verified_at = "verified", timezone.now()
    profile.save()
    profile.nik = NIK_BUDI
    assert profile.nik_status == "declared"
    assert profile.nik_verified_at is None
    profile.nik = None
    assert profile.nik_status == "none"
    assert profile.nik_index is None


def test_key_rotation_reencrypts_and_reindexes(make_citizen, settings):
    _user, profile = make_citizen(nik=NIK_SITI)
    old_token, old_index = profile.nik_encrypted, profile.nik_index
    settings.MPP_NIK_ENCRYPTION_KEYS = [NEW_KEY, *settings.MPP_NIK_ENCRYPTION_KEYS]
    settings.MPP_NIK_INDEX_KEYS = ["new-index-key", *settings.MPP_NIK_INDEX_KEYS]
    # Before the rotation the old rows are still found (every key is tried).
    assert citizen_find(NIK_SITI) == profile
    call_command("rotate_nik_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    profile.refresh_from_db()
    assert profile.nik_encrypted != old_token
    assert profile.nik_index != old_index
    assert profile.nik_index == nik_index(NIK_SITI)
    # The old keys can go now.
    settings.MPP_NIK_ENCRYPTION_KEYS = [NEW_KEY]
    settings.MPP_NIK_INDEX_KEYS = ["new-index-key"]
    assert decrypt_nik(profile.nik_encrypted) == NIK_SITI
    assert citizen_find(NIK_SITI) == profile
    # A second run changes nothing.
    token = profile.nik_encrypted
    call_command("rotate_nik_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    profile.refresh_from_db()
    assert profile.nik_encrypted == token


def test_the_data_migration_encrypts_existing_rows(make_citizen):
    """The migration's function, run on a row as the old schema stored it (a plain NIK)."""
    from importlib import import_module

    migration = import_module("shared.citizens.migrations.0002_nik_encrypted_verification_consent")

    class OldRow:
        """What ``Profile.objects.exclude(nik__isnull=True)`` yielded before the migration."""

        def __init__(self, **fields):
            self.__dict__.update(fields)
            self.saved = None

        def save(self, update_fields):
            self.saved = update_fields

    rows = [
        OldRow(nik=NIK_SITI, registered_at_counter=False, created_at=None, created_by_id=None),
        OldRow(nik=NIK_BUDI, registered_at_counter=True, created_at="t", created_by_id=7),
    ]

    class Manager:
        def exclude(self, **kwargs):
            return self

        def iterator(self):
            return iter(rows)

    class Apps:
        def get_model(self, app, name):
            return type("Profile", (), {"objects": Manager()})

    migration.encrypt_existing_niks(Apps(), None)
    assert decrypt_nik(rows[0].nik_encrypted) == NIK_SITI
    assert rows[0].nik_index == nik_index(NIK_SITI)
    assert rows[0].nik_status == "declared"
    assert rows[1].nik_status == "verified"
    assert rows[1].nik_verified_by_id == 7
    assert "nik_index" in rows[0].saved
