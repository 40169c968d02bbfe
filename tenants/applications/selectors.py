"""Reads of a region's applications (inside its schema)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.utils.translation import gettext as _

from kernel.errors import NotFoundError
from shared.citizens.models import OPEN_STATUSES, ApplicationStatus
from tenants.applications.common import current_region
from tenants.applications.models import Application, ApplicationRequirement, FormField
from tenants.mpp.access import booth_scope
from tenants.mpp.models import Offering
from tenants.mpp.selectors import (
    EffectiveStandard,
    offering_effective_standard,
    offerings_for_standard,
    region_today,
)

ONLINE = "online"


def offering_accepts_online(offering: Offering, standard: EffectiveStandard | None = None) -> bool:
    standard = standard or offering_effective_standard(offering)
    booth_ok = offering.booth is None or offering.booth.is_active
    return offering.is_active and booth_ok and ONLINE in standard.channels


def online_offerings() -> list[tuple[Offering, EffectiveStandard]]:
    """(offering, effective standard) for every offering citizens can apply for online here.
    A fixed number of queries however many offerings there are."""
    out = []
    for offering in offerings_for_standard(Offering.objects.active()).order_by("code"):
        standard = offering_effective_standard(offering)
        if offering_accepts_online(offering, standard):
            out.append((offering, standard))
    return sorted(out, key=lambda pair: pair[1].name.lower())


def offering_for_application(offering_id) -> tuple[Offering, EffectiveStandard]:
    try:
        offering = offerings_for_standard(Offering.objects.active()).get(pk=int(offering_id))
    except (Offering.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFoundError(_("Layanan tidak ditemukan.")) from exc
    return offering, offering_effective_standard(offering)


def form_fields(offering: Offering) -> list[FormField]:
    return list(FormField.objects.filter(offering=offering, is_active=True).order_by("position"))


def staff_visible(user) -> QuerySet[Application]:
    """Applications a staff member may see: submitted ones (and the counter's own assisted
    drafts), within their booth scope (an operator without a booth sees none)."""
    from django.db.models import Q

    qs = Application.objects.filter(~Q(status=ApplicationStatus.DRAFT) | Q(is_assisted=True))
    return booth_scope(user).filter(qs)


def worklist(
    *,
    user,
    booth_id: int | None = None,
    status: str | None = None,
    today: dt.date | None = None,
) -> QuerySet[Application]:
    """The operator's worklist: open applications, overdue first, then by due date. Two
    queries (applications with booth and offering; nothing per row)."""
    today = today or region_today()
    qs = staff_visible(user).select_related("booth")
    qs = qs.filter(status=status) if status else qs.filter(status__in=OPEN_STATUSES)
    if booth_id:
        qs = qs.filter(booth_id=booth_id)
    return qs.annotate(
        overdue_rank=Case(
            When(due_date__lt=today, status__in=OPEN_STATUSES, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("overdue_rank", "due_date", "submitted_at", "id")


def citizen_applications_here(citizen) -> QuerySet[Application]:
    return Application.objects.filter(citizen=citizen).order_by("-updated_at", "-id")


def application_detail(application_id) -> Application:
    """One application with what its pages show, or NotFoundError (no access check)."""
    try:
        return (
            Application.objects.select_related("booth", "offering")
            .prefetch_related(
                Prefetch(
                    "requirements",
                    queryset=ApplicationRequirement.objects.select_related("document_type"),
                ),
                "history",
                "files",
            )
            .get(pk=int(application_id))
        )
    except (Application.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFoundError(_("Permohonan tidak ditemukan.")) from exc


def is_overdue(application: Application, today: dt.date | None = None) -> bool:
    today = today or region_today()
    return bool(
        application.due_date
        and application.status in OPEN_STATUSES
        and application.due_date < today
    )


def region_code_prefix() -> str:
    return current_region().code.replace(".", "")


#: How long a counter search lets staff open the consent step for that citizen.
COUNTER_SEARCH_HOURS = 4


def searched_citizen(*, actor, profile_id):
    """A citizen this staff member found by search (logged) at a counter of this region in the
    last hours: enough to ask for consent, which shows only the masked name. Profile ids are
    not something staff may browse. None otherwise."""
    from datetime import timedelta

    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from shared.citizens.models import AccessAction, CitizenProfile, DataAccessLog

    try:
        profile_id = int(profile_id)
    except (TypeError, ValueError):
        return None
    since = timezone.now() - timedelta(hours=COUNTER_SEARCH_HOURS)
    searched = DataAccessLog.objects.filter(
        profile=OuterRef("pk"),
        actor=actor,
        region=current_region(),
        action=AccessAction.CITIZEN_SEARCHED,
        accessed_at__gte=since,
    )
    return (
        CitizenProfile.objects.select_related("user")
        .filter(pk=profile_id, deleted_at__isnull=True)
        .filter(Exists(searched))
        .first()
    )


def consented_citizen(*, actor, profile_id):
    """A citizen who consented, at a counter of this region and this visit, to this staff
    member seeing and using their data (or whom this staff member registered just now). None
    otherwise: nothing personal is shown or attached without it."""
    from shared.citizens.models import CitizenProfile
    from shared.citizens.services import counter_consent_active

    consent = counter_consent_active(actor=actor, region=current_region(), profile_id=profile_id)
    if consent is None:
        return None
    profile = CitizenProfile.objects.select_related("user").filter(pk=consent.profile_id).first()
    if profile is not None:
        profile.consent = consent  # type: ignore[attr-defined]  # what the page shows
    return profile
