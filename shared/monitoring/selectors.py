"""Reads of the national monitoring: only the public roll-up tables, never a region schema.

Headline figures and charts read ``ProvinceDay`` (38 rows a day); the region table reads
``RegionDay`` for the chosen days in one grouped query. Percentages are of the period's sums;
the quantiles of several regions are their weighted mean (a median of medians is not a median,
so the dashboard labels them as such).
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import datetime as dt
import functools
import statistics
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.errors import DomainError
from shared.monitoring.figures import (
    COUNT_COLUMNS,
    QUANTILE_COLUMNS,
    QUANTILE_WEIGHT,
    ikm,
    ikm_grade,
    ratio,
)
from shared.monitoring.models import ProvinceDay, RegionDay
from shared.monitoring.rollups import jakarta_today, version_token
from shared.regions.models import Mpp, Province, Region

DEFAULT_DAYS = 30
MAX_DAYS = 731  # two years: the longest view the dashboard offers
SLA_TARGET = 80.0
INACTIVE_DAYS = 14


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> Period:
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)


#: Computed dashboard figures are cached under the roll-up tables' version token (a new token
#: whenever a roll-up row changes), so they are never stale; the expiry only frees memory.
CACHE_SECONDS = 600


_LOCAL_MAX = 32
_local: collections.OrderedDict[str, object] = collections.OrderedDict()
_request_token: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "monitoring_token", default=None
)


@contextlib.contextmanager
def one_version(token: str | None = None):
    """Within it, every cached read uses the version token read once at its start (a page
    makes several cached reads; one query for the token, not one each). ``token``: one the
    caller has just read (``rollups.dashboard_state``)."""
    reset = _request_token.set(token or version_token())
    try:
        yield
    finally:
        _request_token.reset(reset)


def cached(key: str, compute):
    """``compute()`` once per roll-up version: from this process's memory (no unpickling of a
    514-row table on every request), else from the shared cache, else computed."""
    token = _request_token.get() or version_token()
    full = f"monitoring:{token}:{key}"
    value = _local.get(full)
    if value is not None:
        _local.move_to_end(full)
        return value
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, CACHE_SECONDS)
    _local[full] = value
    while len(_local) > _LOCAL_MAX:
        _local.popitem(last=False)
    return value


def latest_day() -> dt.date:
    """The latest rolled-up day, or yesterday when nothing is rolled up yet."""

    def compute():
        return ProvinceDay.objects.aggregate(d=Max("day"))["d"] or (
            jakarta_today() - dt.timedelta(days=1)
        )

    return cached("latest", compute)


def dashboard_data(period: Period, province: Province | None = None) -> dict:
    """What the national dashboard computes from the roll-ups: the totals of the period and the
    one before, the time series and every live region's row (cached, see CACHE_SECONDS)."""
    code = province.code if province is not None else ""

    def compute():
        regions = region_rows(period, province)
        return {
            "totals": period_totals_pair(period, province),
            "series": series(period, province),
            "regions": regions,
            "provinces": province_rows(period, regions),
            "ranking": ranking(regions),
            "flag_counts": {f: sum(1 for r in regions if f in r.flags) for f in FLAG_LABELS},
        }

    return cached(f"dash:{period.start}:{period.end}:{code}", compute)


def parse_date(value: str | None, label: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise DomainError(
            _("%(label)s bukan tanggal yang valid (TTTT-BB-HH).") % {"label": label},
            code="bad_date",
        ) from exc


def parse_period(params) -> Period:
    """The period asked for in ``params`` (``start``, ``end``, or ``days``), else the last
    DEFAULT_DAYS rolled-up days. Raises DomainError with a message for a bad range."""
    start = parse_date(params.get("start"), _("Tanggal awal"))
    end = parse_date(params.get("end"), _("Tanggal akhir"))
    if start is None and end is None:
        end = latest_day()
        days = params.get("days") or DEFAULT_DAYS
        try:
            days = int(days)
        except (TypeError, ValueError) as exc:
            raise DomainError(_("Jumlah hari harus angka."), code="bad_days") from exc
        if not 1 <= days <= MAX_DAYS:
            raise DomainError(
                _("Rentang tanggal paling panjang %(n)s hari.") % {"n": MAX_DAYS},
                code="range_long",
            )
        return Period(end - dt.timedelta(days=days - 1), end)
    if start is None or end is None:
        raise DomainError(_("Isi tanggal awal dan tanggal akhir."), code="range_empty")
    if end < start:
        raise DomainError(_("Tanggal akhir sebelum tanggal awal."), code="range_reversed")
    if (end - start).days + 1 > MAX_DAYS:
        raise DomainError(
            _("Rentang tanggal paling panjang %(n)s hari.") % {"n": MAX_DAYS}, code="range_long"
        )
    return Period(start, end)


def parse_province(code: str | None) -> Province | None:
    if not code:
        return None
    province = Province.objects.filter(code=code.strip()).first()
    if province is None:
        raise DomainError(
            _("Kode provinsi %(code)s tidak dikenal.") % {"code": code[:10]},
            code="unknown_province",
        )
    return province


# --- derived figures -------------------------------------------------------------------------


def derive(s: dict) -> dict:
    """Percentages, IKM and means from summed columns (``s`` holds sums and, for quantiles,
    their weighted value already)."""
    skm = [s.get(f"skm_sum_u{i}") for i in range(1, 10)]
    value = ikm(s.get("skm_respondents"), skm)
    return {
        **s,
        "sla": ratio(s.get("applications_completed_on_time"), s.get("applications_completed")),
        "complaints_on_time": ratio(s.get("complaints_closed_on_time"), s.get("complaints_closed")),
        "rating": (
            s["complaints_rating_sum"] / s["complaints_rating_count"]
            if s.get("complaints_rating_count")
            else None
        ),
        "ikm": value,
        "ikm_grade": ikm_grade(value),
        "online_share": ratio(s.get("channel_online"), s.get("applications_received")),
    }


_SUMMED = [c for c in COUNT_COLUMNS if c != "applications_overdue"]
_TOTALS_NAMES = [
    *_SUMMED,
    *(f"{q}_wsum" for q in QUANTILE_COLUMNS),
    *(f"{q}_weight" for q in QUANTILE_COLUMNS),
]


@functools.cache
def _totals_sql(with_province: bool) -> str:
    """Sums of the province rows over several periods in one scan: ``%(p{i}_start)s`` …
    ``%(p{i}_end)s`` for each period, plus the snapshots of each period's last day."""
    parts = []
    for i in range(2):
        window = f"day BETWEEN %(p{i}_start)s AND %(p{i}_end)s"
        parts += [f"sum({n}) FILTER (WHERE {window})" for n in _TOTALS_NAMES]
        parts += [
            f"sum(applications_overdue) FILTER (WHERE day = %(p{i}_end)s)",
            f"sum(complaints_overdue) FILTER (WHERE day = %(p{i}_end)s)",
        ]
    where = "day BETWEEN %(from)s AND %(to)s"
    if with_province:
        where += " AND province_id = %(province)s"
    return f"SELECT {', '.join(parts)} FROM {ProvinceDay._meta.db_table} WHERE {where}"  # noqa: S608


def _totals(values: list) -> dict:
    sums = dict(zip(_TOTALS_NAMES, values[: len(_TOTALS_NAMES)], strict=True))
    for q in QUANTILE_COLUMNS:
        w = sums.pop(f"{q}_weight")
        ws = sums.pop(f"{q}_wsum")
        sums[q] = float(ws) / float(w) if w else None
    # Snapshots (open overdue work) are of the last day, not a sum over the period.
    sums["applications_overdue"], sums["complaints_overdue_now"] = values[len(_TOTALS_NAMES) :]
    return derive(sums)


def period_totals_pair(period: Period, province: Province | None) -> tuple[dict, dict]:
    """(this period, the previous one of the same length), from one query."""
    previous = period.previous
    params = {
        "p0_start": period.start,
        "p0_end": period.end,
        "p1_start": previous.start,
        "p1_end": previous.end,
        "from": previous.start,
        "to": period.end,
        "province": province.code if province is not None else None,
    }
    with connection.cursor() as cursor:
        cursor.execute(_totals_sql(province is not None), params)
        row = list(cursor.fetchone())
    size = len(_TOTALS_NAMES) + 2
    return _totals(row[:size]), _totals(row[size:])


def period_totals(period: Period, province: Province | None) -> dict:
    return period_totals_pair(period, province)[0]


HEADLINES = [
    ("applications_received", gettext_lazy("Permohonan masuk"), "count", True),
    ("applications_completed", gettext_lazy("Permohonan selesai"), "count", True),
    ("sla", gettext_lazy("Selesai tepat waktu"), "percent", True),
    ("applications_overdue", gettext_lazy("Permohonan terlambat (hari terakhir)"), "count", False),
    ("processing_days_p50", gettext_lazy("Lama proses (median, hari kerja)"), "decimal", False),
    ("tickets_served", gettext_lazy("Antrean dilayani"), "count", True),
    ("wait_minutes_p50", gettext_lazy("Waktu tunggu (median, menit)"), "decimal", False),
    ("complaints_received", gettext_lazy("Pengaduan masuk"), "count", None),
    ("complaints_on_time", gettext_lazy("Pengaduan tepat waktu"), "percent", True),
    ("ikm", gettext_lazy("IKM"), "decimal", True),
]


def headline(
    period: Period, province: Province | None = None, totals: tuple[dict, dict] | None = None
) -> list[dict]:
    """Each headline figure with the previous period of the same length, for the trend."""
    now, before = totals or period_totals_pair(period, province)
    rows = []
    for key, label, kind, higher_is_better in HEADLINES:
        value, previous = now.get(key), before.get(key)
        delta = None if value is None or previous is None else value - previous
        trend = "flat"
        if delta:
            better = delta > 0 if higher_is_better is not False else delta < 0
            trend = "up" if delta > 0 else "down"
            trend += (
                "-good"
                if (higher_is_better is not None and better)
                else ("-bad" if higher_is_better is not None else "")
            )
        rows.append(
            {
                "key": key,
                "label": str(label),
                "kind": kind,
                "value": value,
                "previous": previous,
                "delta": delta,
                "trend": trend,
                "grade": now.get("ikm_grade") if key == "ikm" else "",
            }
        )
    return rows


def bucket_of(period: Period) -> str:
    if period.days <= 62:
        return "day"
    if period.days <= 370:
        return "week"
    return "month"


def series(period: Period, province: Province | None = None) -> dict:
    """National (or one province's) time series, by day, week or month."""
    bucket = bucket_of(period)
    where = "day BETWEEN %s AND %s"
    params: list = [period.start, period.end]
    if province is not None:
        where += " AND province_id = %s"
        params.append(province.code)
    sql = (
        f"SELECT date_trunc('{bucket}', day)::date AS b, sum(applications_received), "  # noqa: S608
        "sum(applications_completed), sum(applications_completed_on_time), "
        "sum(tickets_served), sum(complaints_received), "
        "sum(wait_minutes_p50_wsum) / NULLIF(sum(wait_minutes_p50_weight), 0) "
        f"FROM {ProvinceDay._meta.db_table} WHERE {where} GROUP BY b ORDER BY b"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    points = [
        {
            "date": b,
            "received": received,
            "completed": completed,
            "sla": ratio(on_time, completed),
            "served": served,
            "complaints": complaints,
            "wait": None if wait is None else float(wait),
        }
        for b, received, completed, on_time, served, complaints, wait in rows
    ]
    return {"bucket": bucket, "points": points}


# --- per province and per region -------------------------------------------------------------

_REGION_SQL = """
SELECT r.id, r.code, r.name, r.slug, p.code, p.name, {sums}, {quantiles},
       sum(d.applications_overdue) FILTER (WHERE d.day = %(end)s),
       sum(d.complaints_overdue) FILTER (WHERE d.day = %(end)s),
       sum(COALESCE(d.applications_received, 0) + COALESCE(d.tickets_served, 0)
           + COALESCE(d.complaints_received, 0)) FILTER (WHERE d.day > %(inactive_from)s),
       max(d.day)
FROM {region} r
JOIN {province} p ON p.code = r.province_id
JOIN {mpp} m ON m.region_id = r.id AND m.status = 'live'
LEFT JOIN {day} d ON d.region_id = r.id AND d.day BETWEEN %(from)s AND %(end)s
WHERE TRUE {province_filter}
GROUP BY r.id, p.code
ORDER BY r.code
"""


@dataclass
class RegionRow:
    id: int
    code: str
    name: str
    slug: str
    province_code: str
    province_name: str
    figures: dict
    flags: list[str] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        """Ranking score: the mean of SLA %, IKM and complaints on time % that are known."""
        parts = [self.figures.get(k) for k in ("sla", "ikm", "complaints_on_time")]
        known = [float(p) for p in parts if p is not None]
        return sum(known) / len(known) if known else None


FLAG_LABELS = {
    "sla": gettext_lazy("SLA di bawah 80%"),
    "ikm": gettext_lazy("IKM kategori C/D"),
    "complaints": gettext_lazy("Pengaduan terlambat"),
    "inactive": gettext_lazy("Tanpa aktivitas 14 hari"),
}


def region_rows(period: Period, province: Province | None = None) -> list[RegionRow]:
    """Every live region with its figures over the period and its attention flags."""
    sums = ", ".join(
        f"sum(d.{c}) FILTER (WHERE d.day >= %(start)s)"
        for c in COUNT_COLUMNS
        if c != "applications_overdue"
    )
    quantiles = ", ".join(
        f"sum(d.{q} * d.{QUANTILE_WEIGHT[q]}) FILTER (WHERE d.day >= %(start)s AND d.{q} IS NOT "
        f"NULL) / NULLIF(sum(d.{QUANTILE_WEIGHT[q]}) FILTER (WHERE d.day >= %(start)s AND "
        f"d.{q} IS NOT NULL), 0)"
        for q in QUANTILE_COLUMNS
    )
    sql = _REGION_SQL.format(
        sums=sums,
        quantiles=quantiles,
        region=Region._meta.db_table,
        province=Province._meta.db_table,
        day=RegionDay._meta.db_table,
        mpp=Mpp._meta.db_table,
        province_filter="AND r.province_id = %(province)s" if province is not None else "",
    )
    inactive_from = period.end - dt.timedelta(days=INACTIVE_DAYS)
    params = {
        "start": period.start,
        "end": period.end,
        "from": min(period.start, inactive_from + dt.timedelta(days=1)),
        "inactive_from": inactive_from,
        "province": province.code if province is not None else None,
    }
    names = [c for c in COUNT_COLUMNS if c != "applications_overdue"] + list(QUANTILE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    rows = []
    for rid, code, name, slug, pcode, pname, *values in raw:
        *figures, overdue, complaints_overdue, activity, _last = values
        f = dict(zip(names, figures, strict=True))
        for q in QUANTILE_COLUMNS:
            f[q] = None if f[q] is None else float(f[q])
        f["applications_overdue"] = overdue
        f["complaints_overdue_now"] = complaints_overdue
        f["activity_14"] = activity or 0
        f = derive(f)
        row = RegionRow(rid, code, name, slug, pcode, pname, f)
        if f["sla"] is not None and f["sla"] < SLA_TARGET:
            row.flags.append("sla")
        if f["ikm_grade"] in ("C", "D"):
            row.flags.append("ikm")
        if complaints_overdue:
            row.flags.append("complaints")
        if not activity:
            row.flags.append("inactive")
        rows.append(row)
    return rows


def province_rows(period: Period, regions: list[RegionRow]) -> list[dict]:
    """Per province: sums over its live regions and how many need attention."""
    by_code: dict[str, dict] = {}
    for r in regions:
        p = by_code.setdefault(
            r.province_code,
            {"code": r.province_code, "name": r.province_name, "regions": 0, "flagged": 0,
             "sums": dict.fromkeys(COUNT_COLUMNS, None), "wait": [], "complaints_overdue_now": 0},
        )  # fmt: skip
        p["regions"] += 1
        p["flagged"] += bool(r.flags)
        for c in COUNT_COLUMNS:
            v = r.figures.get(c)
            if v is not None:
                p["sums"][c] = (p["sums"][c] or 0) + v
    return [
        {**p, "figures": derive(p["sums"])}
        for p in sorted(by_code.values(), key=lambda p: p["code"])
    ]


SORT_KEYS = {
    "code": lambda r: r.code,
    "name": lambda r: r.name,
    "province": lambda r: (r.province_name, r.name),
    "received": lambda r: r.figures.get("applications_received") or 0,
    "sla": lambda r: r.figures.get("sla") if r.figures.get("sla") is not None else -1,
    "ikm": lambda r: r.figures.get("ikm") if r.figures.get("ikm") is not None else -1,
    "complaints": lambda r: (
        r.figures.get("complaints_on_time")
        if r.figures.get("complaints_on_time") is not None
        else -1
    ),
    "served": lambda r: r.figures.get("tickets_served") or 0,
    "score": lambda r: r.score if r.score is not None else -1,
    "flags": lambda r: len(r.flags),
}


def filter_sort(
    rows: list[RegionRow], *, q: str = "", flag: str = "", sort: str = "code"
) -> list[RegionRow]:
    if q:
        needle = q.strip().lower()
        rows = [r for r in rows if needle in r.name.lower() or needle in r.code]
    if flag == "any":
        rows = [r for r in rows if r.flags]
    elif flag:
        rows = [r for r in rows if flag in r.flags]
    descending = sort.startswith("-")
    key = SORT_KEYS.get(sort.lstrip("-"), SORT_KEYS["code"])
    return sorted(rows, key=key, reverse=descending)


def ranking(rows: list[RegionRow], n: int = 10) -> dict:
    scored = [r for r in rows if r.score is not None]
    ordered = sorted(scored, key=lambda r: (-(r.score or 0), r.code))
    return {"top": ordered[:n], "bottom": list(reversed(ordered[-n:])) if ordered else []}


def national_medians(rows: list[RegionRow]) -> dict:
    """The median over live regions of each figure (regions without the figure left out)."""
    keys = (
        "applications_received", "applications_completed", "sla", "applications_overdue",
        "processing_days_p50", "tickets_served", "wait_minutes_p50", "complaints_received",
        "complaints_on_time", "ikm", "online_share",
    )  # fmt: skip
    medians = {}
    for key in keys:
        values = [float(r.figures[key]) for r in rows if r.figures.get(key) is not None]
        medians[key] = statistics.median(values) if values else None
    return medians


def region_series(region_id: int, period: Period) -> dict:
    bucket = bucket_of(period)
    sql = (
        f"SELECT date_trunc('{bucket}', day)::date AS b, sum(applications_received), "  # noqa: S608
        "sum(applications_completed), sum(applications_completed_on_time), "
        "sum(tickets_served), sum(complaints_received), "
        "sum(wait_minutes_p50 * tickets_served) / NULLIF(sum(tickets_served) "
        "FILTER (WHERE wait_minutes_p50 IS NOT NULL), 0) "
        f"FROM {RegionDay._meta.db_table} WHERE region_id = %s AND day BETWEEN %s AND %s "
        "GROUP BY b ORDER BY b"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [region_id, period.start, period.end])
        rows = cursor.fetchall()
    return {
        "bucket": bucket,
        "points": [
            {
                "date": b,
                "received": received,
                "completed": completed,
                "sla": ratio(on_time, completed),
                "served": served,
                "complaints": complaints,
                "wait": None if wait is None else float(wait),
            }
            for b, received, completed, on_time, served, complaints, wait in rows
        ],
    }


def region_daily(region_id: int, period: Period):
    """The region's own rows, for its export."""
    return RegionDay.objects.filter(
        region_id=region_id, day__gte=period.start, day__lte=period.end
    ).order_by("day")


# --- public statistics -----------------------------------------------------------------------


def public_statistics(period: Period) -> list[dict]:
    """Per province, every live MPP's IKM (grade), SLA compliance and complaints answered on
    time. Aggregates only: no name of a person, no case."""
    rows = dashboard_data(period)["regions"]
    provinces: dict[str, dict] = {}
    for r in rows:
        p = provinces.setdefault(
            r.province_code, {"code": r.province_code, "name": r.province_name, "mpps": []}
        )
        p["mpps"].append(
            {
                "code": r.code,
                "name": r.name,
                "slug": r.slug,
                "ikm": r.figures["ikm"],
                "ikm_grade": r.figures["ikm_grade"],
                "sla": r.figures["sla"],
                "complaints_on_time": r.figures["complaints_on_time"],
            }
        )
    return [provinces[k] for k in sorted(provinces)]
