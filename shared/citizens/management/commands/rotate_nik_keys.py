"""Re-encrypt every stored NIK under the newest key and re-index it under the newest index key.

Deploy a new key first (prepend it to MPP_NIK_ENCRYPTION_KEYS / MPP_NIK_INDEX_KEYS, keep the old
ones), run this command, then remove the old keys. Safe to run twice and to resume: each row is
rewritten in its own short transaction, and a row already under the newest keys stays as it is.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from shared.citizens import hooks
from shared.citizens.crypto import (
    decrypt_nik,
    is_current_index,
    is_current_token,
    nik_index,
    reencrypt_nik,
)
from shared.citizens.models import CitizenProfile, CivilRegistryEntry, NikDispute


def rotate_row(row) -> bool:
    """Rewrite one row holding ``nik_encrypted``/``nik_index``; True when it changed."""
    if not row.nik_encrypted:
        return False
    nik = decrypt_nik(row.nik_encrypted)
    if is_current_token(row.nik_encrypted) and is_current_index(nik, row.nik_index):
        return False
    type(row).objects.filter(pk=row.pk).update(
        nik_encrypted=reencrypt_nik(row.nik_encrypted), nik_index=nik_index(nik)
    )
    return True


class Command(BaseCommand):
    help = "Re-encrypt and re-index every stored NIK under the newest keys."

    def handle(self, *args, **options):
        total = 0
        for model in (CitizenProfile, NikDispute, CivilRegistryEntry):
            changed = 0
            for row in (
                model.objects.exclude(nik_encrypted="")
                .only("pk", "nik_encrypted", "nik_index")
                .iterator()
            ):
                with transaction.atomic():
                    changed += rotate_row(row)
            self.stdout.write(f"{model._meta.label}: {changed}")
            total += changed
        for handler in hooks.nik_rotation_handlers:
            total += handler(self.stdout)
        self.stdout.write(self.style.SUCCESS(f"NIK rewritten under the newest keys: {total}"))
