"""The assisted channel: counter staff act for a walk-in citizen (often elderly, often without
a phone). Runs inside a region's schema.

Staff find a citizen by NIK or phone and see only a masked name until the citizen consents at the
counter (shared.citizens.services.counter); everything after that (the profile, the vault, an
application made for them) needs the consent and is written to the citizen's access log.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError
from shared.citizens.models import CitizenProfile
from shared.citizens.services import CounterDesk, claim_code_new, counter_search
from tenants.applications.common import current_region, index_write, staff_role
from tenants.applications.models import Application
from tenants.mpp.models import Booth, StaffAssignment


def staff_booths(user) -> list[Booth]:
    """The booths a staff member is assigned to here (empty: not limited to any)."""
    ids = StaffAssignment.objects.filter(user_id=user.pk).values_list("booth_id", flat=True)
    return list(Booth.objects.filter(pk__in=list(ids)).order_by("number", "id"))


def counter_desk(user, *, booth_id=None, via: str = "web") -> CounterDesk:
    """Who serves at this counter: the staff member, their role here and their booth (the one
    chosen, or the only one they are assigned to)."""
    booths = staff_booths(user)
    booth = None
    try:
        wanted = int(booth_id) if booth_id else None
    except (TypeError, ValueError):
        wanted = None
    if wanted is not None:
        booth = next((b for b in booths if b.pk == wanted), None)
        if booth is None and not booths:
            booth = Booth.objects.filter(pk=wanted, is_active=True).first()
    elif len(booths) == 1:
        booth = booths[0]
    return CounterDesk(
        actor=user,
        role=staff_role(user),
        region=current_region(),
        booth_id=booth.pk if booth else None,
        booth_name=str(booth) if booth else "",
        via=via,
    )


def citizen_lookup_at_counter(*, actor, query: str, via: str = "web") -> CitizenProfile | None:
    """Find a citizen by NIK or phone number (rate-limited; logged in their access log). The
    caller shows only that the record exists and its masked name until consent."""
    return counter_search(desk=counter_desk(actor, via=via), query=query)


def claim_code_issue(*, actor, application: Application) -> str:
    """A new claim code for an assisted application (printed on the counter receipt; the old
    one stops working). Returns the code; only its hash is stored."""
    if not application.is_assisted:
        raise ConflictError(_("Hanya permohonan yang dibuat di loket yang memiliki kode klaim."))
    code, hashed = claim_code_new()
    with transaction.atomic():
        application.claim_code_hash = hashed
        application.save(update_fields=["claim_code_hash", "updated_at"])
        index_write(application, claim_code_hash=hashed)
        audit_log(
            actor=actor, action="applications.application.claim_code_issued", target=application
        )
    return code
