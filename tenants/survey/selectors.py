"""Reads of the SKM: the index for a scope and period, the report, trends, the public figures.

Every index is computed from score sums and respondent counts (``shared.survey.index.Tally``):
one grouped query per table, however many responses, and a period that mixes offerings is
pooled response by response, never averaged from per-offering results.

A period's respondents are the responses given in it; its population (for the minimum sample)
is the transactions finished in it, one invitation each. A transaction finished on 30 June and
rated on 1 July counts in June's population and July's respondents: the regulation counts
respondents in the survey period, and the alternative (dating a response by its transaction)
would need the very link between answer and transaction that anonymity forbids.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext as _

from shared.survey.elements import (
    AGE_BANDS,
    EDUCATION,
    ELEMENTS,
    OCCUPATION,
    SEX,
    ElementDef,
    age_band,
)
from shared.survey.index import WEIGHT, IndexResult, Tally, to_display
from shared.survey.periods import Period, period_of, recent_months
from tenants.mpp.models import Booth, Offering
from tenants.mpp.selectors import region_today
from tenants.survey.models import (
    SCORE_FIELDS,
    SUM_FIELDS,
    DailySum,
    FollowUpAction,
    Invitation,
    Response,
)

_RESPONSE_SUMS = {f"sum_{c}": Sum(c) for c in SCORE_FIELDS}
_DAILY_SUMS = {f: Sum(f) for f in SUM_FIELDS}


@dataclass(frozen=True)
class Scope:
    """Which transactions a result covers: the whole MPP, or one offering, booth or agency."""

    offering_id: int | None = None
    booth_id: int | None = None
    agency_key: str = ""

    def q(self) -> Q:
        q = Q()
        if self.offering_id is not None:
            q &= Q(offering_id=self.offering_id)
        if self.booth_id is not None:
            q &= Q(booth_id=self.booth_id)
        if self.agency_key:
            q &= Q(agency_key=self.agency_key)
        return q

    @property
    def is_whole_mpp(self) -> bool:
        return self.offering_id is None and self.booth_id is None and not self.agency_key

    def as_params(self) -> dict[str, str]:
        params = {}
        if self.offering_id is not None:
            params["layanan"] = str(self.offering_id)
        if self.booth_id is not None:
            params["gerai"] = str(self.booth_id)
        if self.agency_key:
            params["instansi"] = self.agency_key
        return params


WHOLE_MPP = Scope()


def _in_period(period: Period) -> Q:
    return Q(date__gte=period.start, date__lte=period.end)


def period_result(period: Period, scope: Scope = WHOLE_MPP) -> IndexResult:
    """Respondents, NRR, IKM and grade, with the population (finished transactions, one
    invitation each) for the minimum-sample check. Two queries."""
    row = Response.objects.filter(_in_period(period), scope.q()).aggregate(
        respondents=Count("id"), **_RESPONSE_SUMS
    )
    population = Invitation.objects.filter(_in_period(period), scope.q()).count()
    return IndexResult(Tally.from_row(row), population)


@dataclass
class ResultRow:
    key: str
    label: str
    result: IndexResult
    params: dict[str, str] = field(default_factory=dict)


_DIMENSIONS = {"offering": "offering_id", "booth": "booth_id", "agency": "agency_key"}
_PARAMS = {"offering": "layanan", "booth": "gerai", "agency": "instansi"}


def results_by(period: Period, dimension: str, scope: Scope = WHOLE_MPP) -> list[ResultRow]:
    """The period's result per offering, booth or agency (four queries in all)."""
    column = _DIMENSIONS[dimension]
    tallies = {
        row[column]: Tally.from_row(row)
        for row in Response.objects.filter(_in_period(period), scope.q())
        .values(column)
        .annotate(respondents=Count("id"), **_RESPONSE_SUMS)
        .order_by()
    }
    populations = {
        row[column]: row["n"]
        for row in Invitation.objects.filter(_in_period(period), scope.q())
        .values(column)
        .annotate(n=Count("id"))
        .order_by()
    }
    labels = _labels(dimension, set(tallies) | set(populations), period)
    rows = []
    for key in set(tallies) | set(populations):
        params = {_PARAMS[dimension]: str(key)} if key not in (None, "") else {}
        rows.append(
            ResultRow(
                key=str(key or ""),
                label=labels.get(key)
                or _("(tanpa %(what)s)") % {"what": _dimension_name(dimension)},
                result=IndexResult(tallies.get(key, Tally()), populations.get(key, 0)),
                params=params,
            )
        )
    rows.sort(key=lambda r: r.label.lower())
    return rows


def _dimension_name(dimension: str) -> str:
    return {"offering": _("layanan"), "booth": _("gerai"), "agency": _("instansi")}[dimension]


def _labels(dimension: str, keys: set, period: Period) -> dict:
    ids = {k for k in keys if k not in (None, "")}
    if not ids:
        return {}
    if dimension == "offering":
        return {o.pk: str(o) for o in Offering.objects.filter(pk__in=ids).select_related("service")}
    if dimension == "booth":
        return {
            b.pk: b.display_name
            for b in Booth.objects.filter(pk__in=ids).select_related("agency", "local_agency")
        }
    return dict(
        Invitation.objects.filter(agency_key__in=ids, date__lte=period.end)
        .values_list("agency_key", "agency_name")
        .order_by("agency_key", "-date")
        .distinct("agency_key")
    )


# --- the report ----------------------------------------------------------------------------------


@dataclass
class ElementResult:
    element: ElementDef
    nrr: Fraction | None
    nrr_shown: Decimal | None
    weighted_shown: Decimal | None  # NRR × 1/9, three decimals


@dataclass
class ProfileTable:
    title: str
    rows: list[tuple[str, int, Decimal | None]]  # label, count, percent


@dataclass
class Report:
    period: Period
    scope: Scope
    scope_label: str
    result: IndexResult
    elements: list[ElementResult]
    weakest: list[ElementResult]
    profile: list[ProfileTable]
    suggestions: list[Response]
    follow_up: list[FollowUpAction]
    by_offering: list[ResultRow]
    by_booth: list[ResultRow]
    by_agency: list[ResultRow]
    questionnaire_versions: list[int]


def _percent(n: int, total: int) -> Decimal | None:
    return to_display(Fraction(100 * n, total), Decimal("0.1")) if total else None


def element_results(result: IndexResult) -> list[ElementResult]:
    nrr = result.nrr or (None,) * len(ELEMENTS)
    return [
        ElementResult(
            element=e,
            nrr=n,
            nrr_shown=to_display(n) if n is not None else None,
            weighted_shown=to_display(n * WEIGHT, Decimal("0.001")) if n is not None else None,
        )
        for e, n in zip(ELEMENTS, nrr, strict=True)
    ]


def weakest_elements(elements: list[ElementResult], n: int = 3) -> list[ElementResult]:
    """The ``n`` elements with the lowest NRR (exact values; ties in element order)."""
    scored = [e for e in elements if e.nrr is not None]
    return sorted(scored, key=lambda e: (e.nrr, e.element.code))[:n]


def profile_tables(responses) -> list[ProfileTable]:
    rows = list(responses.values_list("sex", "age", "education", "occupation"))
    total = len(rows)

    def table(title: str, counts: Counter, order: list[tuple[str, str]]) -> ProfileTable:
        return ProfileTable(
            title,
            [(label, counts[value], _percent(counts[value], total)) for value, label in order],
        )

    sexes = Counter(r[0] for r in rows)
    ages = Counter(age_band(r[1]) for r in rows)
    educations = Counter(r[2] for r in rows)
    occupations = Counter(r[3] for r in rows)
    return [
        table(_("Jenis kelamin"), sexes, [(v, SEX.label(v)) for v in SEX.values]),
        table(_("Usia (tahun)"), ages, [(b[2], b[2]) for b in AGE_BANDS]),
        table(_("Pendidikan"), educations, [(v, EDUCATION.label(v)) for v in EDUCATION.values]),
        table(_("Pekerjaan"), occupations, [(v, OCCUPATION.label(v)) for v in OCCUPATION.values]),
    ]


def scope_label(scope: Scope) -> str:
    if scope.is_whole_mpp:
        return _("Seluruh MPP")
    parts = []
    if scope.offering_id is not None:
        offering = Offering.objects.select_related("service").filter(pk=scope.offering_id).first()
        parts.append(_("Layanan: %(name)s") % {"name": offering or "—"})
    if scope.booth_id is not None:
        booth = Booth.objects.filter(pk=scope.booth_id).first()
        parts.append(_("Gerai: %(name)s") % {"name": booth.display_name if booth else "—"})
    if scope.agency_key:
        name = (
            Invitation.objects.filter(agency_key=scope.agency_key)
            .values_list("agency_name", flat=True)
            .first()
        )
        parts.append(_("Instansi: %(name)s") % {"name": name or "—"})
    return " · ".join(parts)


def skm_report(period: Period, scope: Scope = WHOLE_MPP, *, suggestions_limit: int = 500) -> Report:
    """Everything the regulation's report layout shows, for one period and scope."""
    result = period_result(period, scope)
    responses = Response.objects.filter(_in_period(period), scope.q())
    elements = element_results(result)
    return Report(
        period=period,
        scope=scope,
        scope_label=scope_label(scope),
        result=result,
        elements=elements,
        weakest=weakest_elements(elements),
        profile=profile_tables(responses),
        suggestions=list(
            responses.exclude(suggestion="")
            .select_related("offering", "offering__service")
            .order_by("-date", "-id")[:suggestions_limit]
        ),
        follow_up=list(FollowUpAction.objects.filter(period=period.key)),
        by_offering=results_by(period, "offering", scope),
        by_booth=results_by(period, "booth", scope),
        by_agency=results_by(period, "agency", scope),
        questionnaire_versions=sorted(
            set(responses.values_list("questionnaire_id", flat=True).distinct())
        ),
    )


# --- trends (admin) ------------------------------------------------------------------------------


@dataclass
class TrendRow:
    label: str
    cells: list  # one per month: IndexResult-like value (Decimal | None)


def trends(*, months: int = 12, today: dt.date | None = None) -> dict:
    """NRR per element and IKM per booth, month by month (two grouped queries)."""
    today = today or region_today()
    periods = recent_months(today, months)
    since = periods[0].start
    month_key = lambda y, m: (y, m)  # noqa: E731
    per_month: dict[tuple[int, int], Tally] = {}
    for row in (
        Response.objects.filter(date__gte=since)
        .annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
        .values("y", "m")
        .annotate(respondents=Count("id"), **_RESPONSE_SUMS)
        .order_by()
    ):
        per_month[month_key(row["y"], row["m"])] = Tally.from_row(row)
    per_booth: dict[int | None, dict[tuple[int, int], Tally]] = defaultdict(dict)
    for row in (
        Response.objects.filter(date__gte=since)
        .annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
        .values("booth_id", "y", "m")
        .annotate(respondents=Count("id"), **_RESPONSE_SUMS)
        .order_by()
    ):
        per_booth[row["booth_id"]][month_key(row["y"], row["m"])] = Tally.from_row(row)
    keys = [(p.year, p.index) for p in periods]
    element_rows = []
    for i, element in enumerate(ELEMENTS):
        cells = []
        for key in keys:
            nrr = per_month.get(key, Tally()).nrr
            cells.append(IndexResult(per_month.get(key, Tally()), 0).nrr_shown[i] if nrr else None)
        element_rows.append(TrendRow(str(element.name), cells))
    ikm_row = TrendRow(
        _("IKM seluruh MPP"), [IndexResult(per_month.get(k, Tally()), 0).ikm_shown for k in keys]
    )
    booth_labels = {
        b.pk: b.display_name
        for b in Booth.objects.filter(pk__in=[k for k in per_booth if k]).select_related(
            "agency", "local_agency"
        )
    }
    booth_rows = [
        TrendRow(
            (booth_labels.get(booth_id) if booth_id else None) or _("(tanpa gerai)"),
            [IndexResult(tallies.get(k, Tally()), 0).ikm_shown for k in keys],
        )
        for booth_id, tallies in per_booth.items()
    ]
    booth_rows.sort(key=lambda r: r.label.lower())
    respondents_row = [per_month.get(k, Tally()).respondents for k in keys]
    return {
        "months": periods,
        "elements": element_rows,
        "ikm": ikm_row,
        "booths": booth_rows,
        "respondents": respondents_row,
    }


# --- the public site -----------------------------------------------------------------------------

PUBLIC_WINDOW_DAYS = 365


def public_window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The public site shows the last twelve months, today included."""
    today = today or region_today()
    return today - dt.timedelta(days=PUBLIC_WINDOW_DAYS - 1), today


def public_results(
    today: dt.date | None = None,
) -> tuple[IndexResult, dict[int | None, IndexResult]]:
    """The whole MPP and each offering over the public window, from the daily sums (one
    query)."""
    start, end = public_window(today)
    per_offering: dict[int | None, Tally] = {}
    for row in (
        DailySum.objects.filter(date__gte=start, date__lte=end)
        .values("offering_id")
        .annotate(respondents=Sum("respondents"), **_DAILY_SUMS)
        .order_by()
    ):
        per_offering[row["offering_id"]] = Tally.from_row(row)
    total = sum(per_offering.values(), Tally())
    return IndexResult(total, 0), {k: IndexResult(t, 0) for k, t in per_offering.items()}


def offering_public_result(offering_id: int, today: dt.date | None = None) -> IndexResult:
    start, end = public_window(today)
    row = DailySum.objects.filter(
        date__gte=start, date__lte=end, offering_id=offering_id
    ).aggregate(respondents=Sum("respondents"), **_DAILY_SUMS)
    return IndexResult(Tally.from_row(row), 0)


def default_period(today: dt.date | None = None) -> Period:
    """The report opens on the current semester."""
    return period_of("semester", today or region_today())
