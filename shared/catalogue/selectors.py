"""Reads of the national catalogue that need more than one model: search results with the live
MPPs that offer each service, a service's full standard, and what changed between versions.

"Which MPPs offer it" comes from ``ServiceAvailability`` (kept current by the regions' own
offering changes) joined to live MPPs; no region schema is ever queried.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from itertools import groupby
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kernel.routing import region_url
from shared.catalogue.models import (
    Agency,
    Category,
    LifeEvent,
    ProcedureStep,
    Requirement,
    Service,
    ServiceAvailability,
    ServiceVersion,
)
from shared.catalogue.search import ParsedQuery, SearchFilters, parse_query, search_service_ids
from shared.catalogue.services import SNAPSHOT_FIELDS
from shared.regions.models import Mpp

MPPS_PER_RESULT = 5  # live MPPs listed with each search result (the count says how many in all)

FIELD_LABELS: dict[str, Any] = {
    "code": _("Kode"),
    "name": _("Nama layanan"),
    "agency": _("Instansi"),
    "category": _("Kategori"),
    "life_events": _("Peristiwa hidup"),
    "summary": _("Ringkasan"),
    "synonyms": _("Sinonim"),
    "requirements": _("Persyaratan"),
    "steps": _("Prosedur"),
    "completion_days": _("Jangka waktu (hari kerja)"),
    "completion_note": _("Keterangan jangka waktu"),
    "fee_kind": _("Jenis biaya"),
    "fee_amount": _("Biaya (Rp)"),
    "fee_basis": _("Dasar biaya/tarif"),
    "product": _("Produk layanan"),
    "complaint_handling": _("Penanganan pengaduan"),
    "legal_basis": _("Dasar hukum"),
    "channels": _("Kanal"),
    "is_active": _("Aktif"),
}


@dataclass(frozen=True)
class LiveMpp:
    """A live MPP that offers a service, as the search results and service pages show it."""

    region_code: str
    region_name: str
    slug: str
    province_code: str
    province_name: str
    channels: list
    path: str = "/"  # the service's page on the region's site

    @property
    def name(self) -> str:
        return f"MPP {self.region_name}"

    @property
    def url(self) -> str:
        """Where a citizen gets the service in that region: its page on the region's own site."""
        return region_url(self.slug, self.path)


def region_service_path(code: str) -> str:
    """The path of a national service's page on a region's site (a region's adopted offering
    keeps the service's code); the region's home page if the regional site has no such page."""
    try:
        return reverse("mpp:offering", kwargs={"code": code}, urlconf=settings.ROOT_URLCONF)
    except NoReverseMatch:
        return "/"


_LIVE_MPPS_SQL = """
    SELECT sid, x.code, x.name, x.slug, x.province_id, x.province_name, x.channels, x.total
    FROM unnest(%(ids)s::bigint[]) AS sid
    CROSS JOIN LATERAL (
        SELECT r.code, r.name, r.slug, r.province_id, p.name AS province_name, sa.channels,
               count(*) OVER () AS total
        FROM catalogue_serviceavailability sa
        JOIN regions_region r ON r.id = sa.region_id
        JOIN onboarding_mpp m ON m.region_id = r.id
        JOIN regions_province p ON p.code = r.province_id
        WHERE sa.service_id = sid AND m.status = %(live)s {province}
        ORDER BY r.province_id, r.name
        {limit}
    ) AS x
"""


def attach_live_mpps(
    services: Iterable[Service], *, province: str | None = None, limit: int | None = MPPS_PER_RESULT
) -> list[Service]:
    """Give each service ``live_mpps`` (up to ``limit`` live MPPs offering it, by province and
    name) and ``live_mpp_count`` (all of them): one query for any number of services, answered
    from the public availability index — never from the regions' schemas."""
    services = list(services)
    by_id = {}
    for service in services:
        service.live_mpps = []
        service.live_mpp_count = 0
        by_id[service.pk] = service
    if not by_id:
        return services
    params: dict[str, Any] = {"ids": list(by_id), "live": Mpp.Status.LIVE}
    if province:
        params["province"] = province
    if limit is not None:
        params["limit"] = limit
    sql = _LIVE_MPPS_SQL.format(
        province="AND r.province_id = %(province)s" if province else "",
        limit="LIMIT %(limit)s" if limit is not None else "",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    paths = {sid: region_service_path(by_id[sid].code) for sid in {row[0] for row in rows}}
    for sid, code, name, slug, province_code, province_name, channels, total in rows:
        service = by_id[sid]
        service.live_mpps.append(
            LiveMpp(code, name, slug, province_code, province_name, channels or [], paths[sid])
        )
        service.live_mpp_count = total
    return services


def public_services() -> QuerySet[Service]:
    return Service.objects.filter(is_active=True).select_related("agency", "category")


@dataclass
class SearchPage:
    query: str
    parsed: ParsedQuery
    results: list[Service]
    total: int
    page: int
    page_size: int
    corrected: str = ""  # "paspor" when the citizen typed "pasport"

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


# Nobody reads page 1000 of a search; a larger number only ever comes from a crafted URL.
MAX_SEARCH_PAGE = 1000


def page_too_far_message() -> str:
    from django.utils.translation import gettext as _

    return _("Nomor halaman terlalu besar (paling banyak %(max)d).") % {"max": MAX_SEARCH_PAGE}


def service_search(
    *,
    query: str,
    filters: SearchFilters | None = None,
    page: int = 1,
    page_size: int = 20,
    mpps_per_result: int = MPPS_PER_RESULT,
) -> SearchPage:
    """The national service search: ranked, with the live MPPs offering each result.

    Four queries whatever the number of results: the vocabulary, the ranked ids with the total,
    the services, and their live MPPs."""
    filters = filters or SearchFilters()
    page = max(1, page)
    parsed = parse_query(query)
    hits, total = search_service_ids(
        parsed, filters=filters, limit=page_size, offset=(page - 1) * page_size
    )
    ids = [h.service_id for h in hits]
    services = public_services().filter(pk__in=ids) if ids else []
    by_id = {
        s.pk: s
        for s in attach_live_mpps(services, province=filters.province, limit=mpps_per_result)
    }
    results = []
    for hit in hits:
        service = by_id.get(hit.service_id)
        if service is not None:
            service.search_hit = hit
            results.append(service)
    corrected = parsed.corrected if parsed.corrected != " ".join(parsed.words) else ""
    return SearchPage(
        query=query,
        parsed=parsed,
        results=results,
        total=total,
        page=page,
        page_size=page_size,
        corrected=corrected,
    )


def service_browse(filters: SearchFilters, *, include_inactive: bool = False) -> QuerySet[Service]:
    """Services by name, filtered like the search (for browsing without a query)."""
    qs = public_services()
    if include_inactive:
        qs = Service.objects.select_related("agency", "category")
    if filters.agency:
        qs = qs.filter(Q(agency__code=filters.agency) | Q(agency__parent__code=filters.agency))
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.life_event:
        qs = qs.filter(life_events__code=filters.life_event)
    if filters.province:
        qs = qs.filter(
            pk__in=ServiceAvailability.objects.filter(
                region__mpp__status=Mpp.Status.LIVE, region__province_id=filters.province
            ).values("service_id")
        )
    return qs.order_by("name", "pk")


def standard_prefetches() -> list:
    """What showing a service's whole standard needs: one query per relation, in order."""
    return [
        "life_events",
        Prefetch(
            "requirements",
            queryset=Requirement.objects.select_related("document_type").order_by("position", "id"),
        ),
        Prefetch("steps", queryset=ProcedureStep.objects.order_by("position", "id")),
    ]


def service_for_page(*, code: str) -> Service | None:
    """A service with its whole published standard and every live MPP offering it."""
    service = (
        public_services()
        .filter(code=code)
        .select_related("agency__parent")
        .prefetch_related(*standard_prefetches())
        .first()
    )
    if service is not None:
        attach_live_mpps([service], limit=None)
    return service


def mpps_by_province(service: Service) -> list[tuple[str, list[LiveMpp]]]:
    """The live MPPs attached by ``attach_live_mpps``, grouped by province name."""
    rows = getattr(service, "live_mpps", [])
    return [
        (province_name, list(group))
        for (_code, province_name), group in groupby(
            rows, key=lambda m: (m.province_code, m.province_name)
        )
    ]


def agencies_with_counts() -> QuerySet[Agency]:
    return Agency.objects.select_related("parent").annotate(
        service_count=Count("services", filter=Q(services__is_active=True))
    )


def browse_facets() -> dict[str, Any]:
    """Categories and life events that have active services (for the search page's filters)."""
    active = Q(services__is_active=True)
    return {
        "categories": Category.objects.annotate(n=Count("services", filter=active)).filter(n__gt=0),
        "life_events": LifeEvent.objects.annotate(n=Count("services", filter=active)).filter(
            n__gt=0
        ),
        "agencies": Agency.objects.annotate(n=Count("services", filter=active))
        .filter(n__gt=0)
        .order_by("name"),
    }


# --- versions ------------------------------------------------------------------------------------


@dataclass
class FieldChange:
    field: str
    label: str
    before: Any
    after: Any
    added: list = dataclass_field(default_factory=list)  # list fields: only in ``after``
    removed: list = dataclass_field(default_factory=list)  # list fields: only in ``before``


def _list_diff(before: list, after: list) -> tuple[list, list]:
    remaining = list(before)
    added = []
    for item in after:
        if item in remaining:
            remaining.remove(item)
        else:
            added.append(item)
    return added, remaining


def snapshot_diff(before: dict, after: dict) -> list[FieldChange]:
    """What differs between two snapshots, field by field, in the order of the standard."""
    changes = []
    for name in SNAPSHOT_FIELDS:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        change = FieldChange(
            field=name, label=str(FIELD_LABELS.get(name, name)), before=old, after=new
        )
        if isinstance(old, list) or isinstance(new, list):
            change.added, change.removed = _list_diff(old or [], new or [])
        changes.append(change)
    return changes


def service_version_diff(
    *, service: Service, from_number: int, to_number: int | None = None
) -> list[FieldChange]:
    """What changed in ``service`` from version ``from_number`` to ``to_number`` (default: the
    current version). Regions call this with the version they last saw. Raises
    ``ServiceVersion.DoesNotExist`` for a version that does not exist."""
    if to_number is None:  # the current version, as stored (the caller's object may be stale)
        to_number = Service.objects.values_list("version", flat=True).get(pk=service.pk)
    versions = {
        v.number: v
        for v in ServiceVersion.objects.filter(service=service, number__in=[from_number, to_number])
    }
    if from_number not in versions or to_number not in versions:
        raise ServiceVersion.DoesNotExist
    return snapshot_diff(versions[from_number].snapshot, versions[to_number].snapshot)


def service_current_version(service: Service) -> ServiceVersion:
    return ServiceVersion.objects.get(service=service, number=service.version)


def service_history(service: Service) -> list[tuple[ServiceVersion, list[FieldChange]]]:
    """Every version, newest first, each with what it changed from the one before (two queries)."""
    versions = list(
        ServiceVersion.objects.filter(service=service)
        .select_related("changed_by")
        .order_by("number")
    )
    out = []
    previous = None
    for version in versions:
        diff: list[FieldChange] = (
            snapshot_diff(previous.snapshot, version.snapshot) if previous else []
        )
        out.append((version, diff))
        previous = version
    return list(reversed(out))


def catalogue_summary() -> dict[str, Any]:
    """For the national landing page: how big the catalogue is and where to start browsing."""
    active = Q(services__is_active=True)
    return {
        "service_count": Service.objects.filter(is_active=True).count(),
        "agency_count": Agency.objects.filter(active).distinct().count(),
        "life_events": LifeEvent.objects.annotate(n=Count("services", filter=active)).filter(
            n__gt=0
        ),
    }
