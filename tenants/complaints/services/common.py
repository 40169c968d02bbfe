"""What every complaint service shares: who is looking (and what they may see of the
complainant), the region's calendar, the public index row, and notifications. Runs inside a
region's schema."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kernel.errors import DomainError
from kernel.routing import region_url
from shared.accounts.models import Membership, Role
from shared.accounts.selectors import membership_for
from shared.citizens.messaging import MessagingError, get_gateway
from shared.citizens.models import CitizenProfile
from shared.citizens.notifications import citizen_notify, email_queue, staff_notify
from shared.complaints.models import ComplaintStatus
from shared.complaints.services import complaint_index_write
from shared.regions.models import Region
from tenants.complaints.models import Complaint, Privacy
from tenants.complaints.tenancy import connection
from tenants.mpp.access import booth_scope
from tenants.mpp.models import StaffAssignment

CITIZEN = "citizen"
SUPERADMIN = "superadmin"

#: Who works on complaints, and who triages them.
COMPLAINT_STAFF_ROLES: tuple[str, ...] = (
    Role.COMPLAINT_OFFICER,
    Role.DPMPTSP_ADMIN,
    Role.SUPERVISOR,
    Role.OPERATOR,
)
TRIAGE_ROLES: tuple[str, ...] = (Role.COMPLAINT_OFFICER, Role.DPMPTSP_ADMIN, SUPERADMIN)
BOOTH_ROLES: tuple[str, ...] = (Role.SUPERVISOR, Role.OPERATOR)

MAX_SUBJECT = 150
MIN_SUBJECT = 5
MAX_DESCRIPTION = 4000
MIN_DESCRIPTION = 10
MAX_MESSAGE = 2000
MAX_RESOLUTION = 4000
MAX_COMMENT = 1000


def current_region() -> Region:
    """The region whose schema this connection is in; refuses to run in ``public``."""
    region = getattr(getattr(connection, "tenant", None), "region", None)
    if region is None or connection.schema_name == "public":
        raise RuntimeError("tenants.complaints services run inside a region's schema")
    return region


def field_error(field: str, message: str, *, code: str = "invalid") -> DomainError:
    return DomainError(message, code=code, extra={"errors": {field: [message]}})


def clean_text(value, *, field: str, max_length: int, min_length: int = 1) -> str:
    """Trimmed text within its limits, or a DomainError on that field (Bahasa Indonesia)."""
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise field_error(field, _("Wajib diisi."), code="required")
    if len(text) < min_length:
        raise field_error(
            field, _("Terlalu pendek (paling sedikit %(n)s karakter).") % {"n": min_length}
        )
    if len(text) > max_length:
        raise field_error(
            field, _("Terlalu panjang (paling banyak %(n)s karakter).") % {"n": max_length}
        )
    return text


# --- who is looking ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Viewer:
    """A staff member of this region looking at complaints.

    ``booth_ids`` is None when not limited to booths: the officer, admins and superadmins, and
    supervisors (region-wide by the platform's booth scope, ``tenants.mpp.access``). An operator
    is limited to their booths; without one they see nothing."""

    user: object
    role: str
    booth_ids: frozenset[int] | None

    @property
    def can_triage(self) -> bool:
        return self.role in TRIAGE_ROLES

    @property
    def is_booth_staff(self) -> bool:
        return self.role in BOOTH_ROLES

    def sees_identity(self, complaint: Complaint) -> bool:
        """Normal: everyone who may see the complaint. Confidential: only the complaint officer.
        Anonymous: nobody (nothing is stored anyway)."""
        if complaint.privacy == Privacy.NORMAL:
            return True
        return complaint.privacy == Privacy.CONFIDENTIAL and self.role == Role.COMPLAINT_OFFICER

    def may_handle(self, complaint: Complaint) -> bool:
        """Answer and close: triage roles anywhere, booth staff for their booth's complaints."""
        if self.can_triage:
            return True
        return (
            complaint.status == ComplaintStatus.IN_PROGRESS
            and complaint.booth_id is not None
            and (self.booth_ids is None or complaint.booth_id in self.booth_ids)
        )


def viewer_for(user) -> Viewer | None:
    """The user as complaint staff of this region, or None (citizens, other regions' staff)."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_superadmin:
        return Viewer(user=user, role=SUPERADMIN, booth_ids=None)
    membership = membership_for(user, current_region())
    if membership is None or membership.role not in COMPLAINT_STAFF_ROLES:
        return None
    booths = None
    if membership.role in BOOTH_ROLES:
        scope = booth_scope(user)
        booths = None if scope.region_wide else scope.booth_ids
    return Viewer(user=user, role=membership.role, booth_ids=booths)


@dataclass(frozen=True)
class Identity:
    """The complainant as one viewer may see them; ``hidden`` says why the fields are empty."""

    name: str
    phone: str
    email: str
    hidden: bool
    label: str


def identity_for(complaint: Complaint, viewer: Viewer) -> Identity:
    if viewer.sees_identity(complaint):
        return Identity(
            name=complaint.complainant_name,
            phone=complaint.complainant_phone,
            email=complaint.complainant_email,
            hidden=False,
            label=complaint.complainant_name or _("(tanpa nama)"),
        )
    label = (
        _("Anonim")
        if complaint.privacy == Privacy.ANONYMOUS
        else _("Dirahasiakan (hanya pengelola pengaduan)")
    )
    return Identity(name="", phone="", email="", hidden=True, label=label)


# --- calendar ------------------------------------------------------------------------------------
def local_date(at: dt.datetime) -> dt.date:
    from tenants.mpp.selectors import region_now

    return region_now(at).date()


# --- links, index, notifications -----------------------------------------------------------------
def complaint_url(complaint: Complaint) -> str:
    """Where the complainant follows it: their own page, or the tracking page."""
    path = f"/pengaduan/{complaint.pk}/" if complaint.owner_id else "/pengaduan/lacak/"
    return region_url(current_region().slug, path)


def staff_url(complaint: Complaint) -> str:
    return region_url(current_region().slug, f"/petugas/pengaduan/{complaint.pk}/")


def index_write(complaint: Complaint) -> None:
    """The owner's row in "Pengaduan saya" (only complaints filed from an account have one)."""
    if not complaint.owner_id:
        return
    complaint_index_write(
        region=current_region(),
        complaint_id=complaint.pk,
        owner_id=complaint.owner_id,
        number=complaint.number,
        kind=complaint.kind,
        subject=complaint.subject,
        status=complaint.status,
        due_date=complaint.due_date,
        lapor_tracking_id=complaint.lapor_tracking_id,
        rated=complaint.rating is not None,
    )


def notify_complainant(complaint: Complaint, *, subject: str, body: str) -> int:
    """Tell the complainant through the messaging adapter (and e-mail), from a worker
    (services/notify.py, never inside the request): the account's contacts
    for a citizen who filed online, the contacts given at a counter or kiosk otherwise. An
    anonymous walk-in left none; they follow the complaint with the tracking code."""
    region = current_region()
    reference = complaint.number
    body = f"{body}\n{complaint_url(complaint)}"
    if complaint.owner_id:
        profile = (
            CitizenProfile.objects.select_related("user").filter(user_id=complaint.owner_id).first()
        )
        if profile is not None:
            return len(
                citizen_notify(
                    profile=profile, subject=subject, body=body, region=region, reference=reference
                )
            )
        from shared.accounts.models import User

        user = User.objects.filter(pk=complaint.owner_id).first()
        if user is None:
            return 0
        return len(
            staff_notify(user=user, subject=subject, body=body, region=region, reference=reference)
        )
    sent = 0
    if complaint.complainant_email:
        email_queue(
            to=complaint.complainant_email,
            subject=subject,
            body=body,
            region=region,
            reference=reference,
        )
        sent += 1
    if complaint.complainant_phone:
        try:
            get_gateway().send(
                to=complaint.complainant_phone,
                body=f"{subject}\n{body}"[:1000],
                region=region,
                reference=reference,
            )
            sent += 1
        except MessagingError:
            pass
    return sent


def _active_members(roles: tuple[str, ...]) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            region=current_region(), role__in=roles, is_active=True, user__is_active=True
        ).select_related("user")
    ]


def officers() -> list:
    """The complaint officers; the DPMPTSP admins when the MPP has none."""
    return _active_members((Role.COMPLAINT_OFFICER,)) or _active_members((Role.DPMPTSP_ADMIN,))


def admins() -> list:
    return _active_members((Role.DPMPTSP_ADMIN,))


def booth_staff(booth_id: int | None) -> list:
    """Operators and supervisors assigned to the booth; the officers when there are none."""
    if booth_id is None:
        return officers()
    assigned = set(
        StaffAssignment.objects.filter(booth_id=booth_id).values_list("user_id", flat=True)
    )
    users = [u for u in _active_members(BOOTH_ROLES) if u.pk in assigned]
    return users or officers()


def responsible_staff(complaint: Complaint) -> list:
    if complaint.status == ComplaintStatus.IN_PROGRESS:
        return booth_staff(complaint.booth_id)
    return officers()


def notify_staff(users, *, complaint: Complaint, subject: str, body: str = "") -> int:
    """Staff notifications carry the number, kind, subject and link — never the complainant.
    Returns messages recorded."""
    region = current_region()
    text = "\n".join(
        part
        for part in (
            f"{complaint.number} · {complaint.get_kind_display()} · {complaint.subject}",
            body,
            staff_url(complaint),
        )
        if part
    )
    seen: set[int] = set()
    sent = 0
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        sent += len(
            staff_notify(
                user=user, subject=subject, body=text, region=region, reference=complaint.number
            )
        )
    return sent
