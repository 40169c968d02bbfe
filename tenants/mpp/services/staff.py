"""Staff of this MPP: a ``shared.accounts.User`` with a ``Membership`` of this region (role) and,
for supervisors and operators, booth assignments kept in the region's schema.

Invitations create the account when it does not exist yet (no usable password) and mail a link
to set one; an existing account gets a notice instead. Mail leaves only after commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, DomainError, NotFoundError
from kernel.routing import region_url
from shared.accounts.models import Membership, Role, User
from shared.accounts.services import membership_grant, membership_revoke
from shared.regions.models import Region
from tenants.mpp.models import Booth, StaffAssignment
from tenants.mpp.services._common import current_region_id, field_error

_UNSET: Any = object()


def _region() -> Region:
    return Region.objects.get(pk=current_region_id())


def access_membership(*, membership_id) -> Membership:
    """A membership of *this* region, or NotFoundError (another region's staff do not exist)."""
    try:
        return Membership.objects.select_related("user", "region").get(
            pk=int(membership_id), region_id=current_region_id()
        )
    except (Membership.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFoundError(_("Staf tidak ditemukan.")) from exc


def _clean_role(role: str) -> str:
    if role not in Role.values:
        raise field_error("role", _("Peran tidak dikenal."))
    return role


def _set_booths(actor, membership: Membership, booths: Iterable[Booth]) -> list[int]:
    """Replace the user's booth assignments; admins are never booth-scoped. Also records the
    agency on the membership when every assigned booth belongs to one national agency. The
    complaint officer works for the whole MPP, like the admin."""
    unscoped = (Role.DPMPTSP_ADMIN, Role.COMPLAINT_OFFICER)
    booths = [] if membership.role in unscoped else list(booths)
    inactive = [b for b in booths if not b.is_active]
    if inactive:
        raise field_error("booths", _("Gerai %(b)s tidak aktif.") % {"b": inactive[0]})
    ids = sorted({b.pk for b in booths})
    StaffAssignment.objects.filter(user_id=membership.user_id).exclude(booth_id__in=ids).delete()
    existing = set(
        StaffAssignment.objects.filter(user_id=membership.user_id).values_list(
            "booth_id", flat=True
        )
    )
    StaffAssignment.objects.bulk_create(
        StaffAssignment(user_id=membership.user_id, booth_id=b) for b in ids if b not in existing
    )
    agencies = {b.agency_id for b in booths}
    agency_id = agencies.pop() if len(agencies) == 1 else None
    if membership.agency_id != agency_id:
        membership_grant(
            actor=actor,
            user=membership.user,
            region=membership.region,
            role=membership.role,
            agency_id=agency_id,
        )
        membership.agency_id = agency_id
    return ids


def _invitation_link(user: User, region: Region) -> str:
    path = reverse(
        "accounts:password_reset_confirm",
        urlconf=settings.ROOT_URLCONF,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return region_url(region.slug, path)


def _send_invitation(*, user: User, region: Region, role: str, new_account: bool) -> None:
    context = {
        "user": user,
        "region": region,
        "role": Role(role).label,
        "set_password_url": _invitation_link(user, region) if new_account else "",
        "sign_in_url": region_url(
            region.slug, reverse("accounts:login", urlconf=settings.ROOT_URLCONF)
        ),
        "console_url": region_url(
            region.slug, reverse("mpp_admin:dashboard", urlconf=settings.ROOT_URLCONF)
        ),
        "new_account": new_account,
    }
    if not user.email:  # invitations go to an email address; nothing to send otherwise
        return
    subject = _("Undangan staf MPP %(region)s") % {"region": region.name}
    body = render_to_string("mpp/email/staff_invitation.txt", context)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def staff_invite(
    *,
    actor,
    email: str,
    role: str,
    full_name: str = "",
    booths: Iterable[Booth] = (),
) -> Membership:
    """Invite someone as staff of this MPP by email."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise field_error("email", _("Alamat email tidak valid.")) from exc
    role = _clean_role(role)
    region = _region()
    user = User.objects.filter(email__iexact=email).first()
    new_account = user is None
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name.strip())
    elif not user.is_active:
        raise DomainError(_("Akun ini dinonaktifkan secara nasional dan tidak dapat diundang."))
    membership = Membership.objects.select_for_update().filter(user=user, region=region).first()
    if membership is not None and membership.is_active:
        raise ConflictError(_("%(email)s sudah menjadi staf MPP ini.") % {"email": email})
    membership = membership_grant(actor=actor, user=user, region=region, role=role)
    booth_ids = _set_booths(actor, membership, booths)
    audit_log(
        actor=actor,
        action="mpp.staff.invited",
        target=membership,
        data={"email": email, "role": role, "booths": booth_ids, "new_account": new_account},
    )
    transaction.on_commit(
        lambda: _send_invitation(user=user, region=region, role=role, new_account=new_account)
    )
    return membership


def _refuse_self(actor, membership: Membership, message: str) -> None:
    if actor is not None and actor.pk == membership.user_id:
        raise DomainError(message)


@transaction.atomic
def staff_update(
    *,
    actor,
    membership: Membership,
    role: str | Any = _UNSET,
    booths: Iterable[Booth] | Any = _UNSET,
) -> Membership:
    changed: dict[str, Any] = {}
    if role is not _UNSET:
        role = _clean_role(role)
        if role != membership.role:
            if membership.role == Role.DPMPTSP_ADMIN:
                _refuse_self(actor, membership, _("Anda tidak dapat mengubah peran Anda sendiri."))
            membership_grant(actor=actor, user=membership.user, region=membership.region, role=role)
            membership.role = changed["role"] = role
    if booths is not _UNSET or "role" in changed:
        current = StaffAssignment.objects.filter(user_id=membership.user_id).select_related("booth")
        wanted = list(booths) if booths is not _UNSET else [a.booth for a in current]
        before = sorted(a.booth_id for a in current)
        after = _set_booths(actor, membership, wanted)
        if before != after:
            changed["booths"] = after
    if changed:
        audit_log(actor=actor, action="mpp.staff.updated", target=membership, data=changed)
    return membership


@transaction.atomic
def staff_deactivate(*, actor, membership: Membership) -> Membership:
    """The person loses access to this MPP at once (their account and other regions stay)."""
    _refuse_self(actor, membership, _("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    if membership_revoke(actor=actor, membership=membership):
        audit_log(
            actor=actor,
            action="mpp.staff.deactivated",
            target=membership,
            data={"email": membership.user.email, "role": membership.role},
        )
    return membership


@transaction.atomic
def staff_reactivate(*, actor, membership: Membership) -> Membership:
    if not membership.is_active:
        membership = membership_grant(
            actor=actor, user=membership.user, region=membership.region, role=membership.role
        )
        audit_log(
            actor=actor,
            action="mpp.staff.reactivated",
            target=membership,
            data={"email": membership.user.email, "role": membership.role},
        )
    return membership
