"""The assisted channel's public side: counter registration and claiming with a code."""

import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, NotFoundError
from shared.citizens.models import (
    ApplicationIndex,
    CitizenProfile,
    DataAccessLog,
    Document,
)
from shared.citizens.services.accounts import profile_ensure
from shared.citizens.services.profile import has_submitted_applications

CLAIM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a counter


def claim_code_new() -> tuple[str, str]:
    """A fresh claim code and its hash. The code is printed once on the counter receipt."""
    code = "".join(secrets.choice(CLAIM_ALPHABET) for _ in range(8))
    return code, make_password(code)


def application_claim(*, user, number: str, claim_code: str) -> ApplicationIndex:
    """A citizen takes over an application a counter made for them (assisted channel).

    The counter registered the citizen by NIK, without an account; claiming attaches this
    account to that citizen record, so every application made for them (in any region) shows
    up in "Permohonan saya". A wrong number or code gives the same answer. Callers throttle
    first (``throttle(request, "claim_code", account=user.pk)``: per account and per address,
    platform-wide, atomic).
    """
    number = (number or "").strip().upper()
    code = "".join((claim_code or "").split()).upper()
    row = (
        ApplicationIndex.objects.select_related("profile")
        .filter(number=number, is_assisted=True)
        .first()
    )
    if row is None or not row.claim_code_hash or not check_password(code, row.claim_code_hash):
        raise NotFoundError(
            _("Nomor permohonan atau kode klaim tidak cocok. Periksa tanda terima dari loket.")
        )
    target = row.profile
    mine = profile_ensure(user=user)
    if target.pk == mine.pk:
        return row
    if target.user_id is not None:
        raise ConflictError(_("Permohonan ini sudah diklaim oleh akun lain."))
    if mine.nik and mine.nik != target.nik:
        raise ConflictError(
            _(
                "Permohonan ini dibuat atas nama warga dengan NIK lain. Klaim hanya dapat "
                "dilakukan oleh pemilik data."
            )
        )
    if has_submitted_applications(mine):
        raise ConflictError(
            _("Akun Anda sudah memiliki permohonan; hubungi petugas untuk menggabungkan data.")
        )
    with transaction.atomic():
        target = CitizenProfile.objects.select_for_update().get(pk=target.pk)
        # The account's own (nearly empty) profile folds into the counter's record: the record
        # keeps its id, which the region schemas refer to.
        Document.objects.filter(profile=mine).update(profile=target)
        DataAccessLog.objects.filter(profile=mine).update(profile=target)
        ApplicationIndex.objects.filter(profile=mine).update(profile=target)
        for name in ("phone", "birth_place", "address_line", "postal_code"):
            if not getattr(target, name) and getattr(mine, name):
                setattr(target, name, getattr(mine, name))
        if mine.email_verified_at and not target.email_verified_at:
            target.email_verified_at = mine.email_verified_at
        mine.delete()
        target.user = user
        target.save()
        ApplicationIndex.objects.filter(profile=target, is_assisted=True).update(
            claimed_at=timezone.now()
        )
        audit_log(actor=user, action="citizens.application.claimed", target=row)
    row.refresh_from_db()
    return row
