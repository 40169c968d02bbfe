"""Roll-up runs: the nightly dispatcher, on-demand requests, retries, and the one writer of the
public roll-up tables.

A run is a ``RollupJob`` with one ``RollupItem`` per region. Each item is a region task
(``reporting.rollup_region``, in ``tenants.reporting``; enqueued by name, so this shared app never
imports a tenant app) that computes its days inside the region's schema and hands the figures to
``region_days_store``. A failing item is marked failed and retried later with back-off by
``rollup_resume`` (beat); the other regions carry on. Writing is idempotent: re-running a day
leaves its row untouched unless a figure changed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from celery import current_app
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import DomainError
from shared.monitoring import registry
from shared.monitoring.figures import COUNT_COLUMNS, QUANTILE_COLUMNS, QUANTILE_WEIGHT, SNAPSHOT
from shared.monitoring.models import (
    ProvinceDay,
    RegionDay,
    RegionRollupState,
    RollupItem,
    RollupJob,
    RollupVersion,
)
from shared.regions.models import Mpp, Region

logger = logging.getLogger(__name__)

REGION_TASK = "reporting.rollup_region"
#: The nightly run recomputes this many days back (yesterday included): late ticket closings and
#: back-dated entries land without waiting for a change scan.
TRAILING_DAYS = 7
#: On demand: at most this many days per request (a year and a day).
MAX_RANGE_DAYS = 366
MAX_ATTEMPTS = 5
#: An item left pending or running this long was lost (a killed worker, a broker restart).
LOST_AFTER = dt.timedelta(minutes=30)
_LOCK_NAMESPACE = 16016  # pg_advisory_xact_lock(namespace, province×10⁶ + day ordinal)


def jakarta_today() -> dt.date:
    return timezone.localdate()  # TIME_ZONE is Asia/Jakarta; the dispatcher runs after midnight


def validate_range(start: dt.date | None, end: dt.date | None, *, max_days: int) -> None:
    """Refuses an empty, reversed, future or over-long range with a message for a person."""
    if start is None or end is None:
        raise DomainError(_("Isi tanggal awal dan tanggal akhir."), code="range_empty")
    if end < start:
        raise DomainError(_("Tanggal akhir sebelum tanggal awal."), code="range_reversed")
    if end > jakarta_today():
        raise DomainError(_("Tanggal akhir tidak boleh melewati hari ini."), code="range_future")
    if (end - start).days + 1 > max_days:
        raise DomainError(
            _("Rentang tanggal paling panjang %(n)s hari.") % {"n": max_days}, code="range_long"
        )


# --- starting runs ---------------------------------------------------------------------------


def _create_job(*, kind, start, end, actor, regions: list[tuple[int, str]]) -> RollupJob:
    job = RollupJob.objects.create(
        kind=kind, start=start, end=end, requested_by=actor if _person(actor) else None
    )
    RollupItem.objects.bulk_create(
        RollupItem(job=job, region_id=region_id, schema_name=schema)
        for region_id, schema in regions
    )
    items = list(job.items.values_list("pk", "schema_name"))
    transaction.on_commit(lambda: _enqueue(items))
    return job


def _person(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _enqueue(items: Iterable[tuple[int, str]]) -> None:
    for item_id, schema_name in items:
        try:
            current_app.send_task(
                REGION_TASK,
                kwargs={"item_id": item_id, "schema_name": schema_name},
                headers={"_schema_name": schema_name},
            )
        except Exception:  # the broker is down: the item stays pending; rollup_resume re-sends
            logger.exception("could not enqueue roll-up item %s", item_id)


@transaction.atomic
def rollup_nightly(*, today: dt.date | None = None) -> RollupJob:
    """Yesterday and the TRAILING_DAYS before it, for every live region."""
    today = today or jakarta_today()
    end = today - dt.timedelta(days=1)
    start = end - dt.timedelta(days=TRAILING_DAYS - 1)
    job = _create_job(
        kind=RollupJob.Kind.NIGHTLY,
        start=start,
        end=end,
        actor=None,
        regions=registry.live_regions(),
    )
    logger.info("nightly roll-up %s: %d regions", job.pk, job.items.count())
    return job


@transaction.atomic
def rollup_request(
    *, actor, start: dt.date | None, end: dt.date | None, region_code: str = ""
) -> RollupJob:
    """On demand: one region (by Kemendagri code) or every live region, over a date range."""
    validate_range(start, end, max_days=MAX_RANGE_DAYS)
    regions = registry.live_regions()
    if region_code:
        region = Region.objects.filter(code=region_code.strip()).first()
        if region is None:
            raise DomainError(
                _("Kode wilayah %(code)s tidak dikenal.") % {"code": region_code},
                code="unknown_region",
            )
        regions = [r for r in regions if r[0] == region.pk]
        if not regions:
            raise DomainError(
                _("%(name)s belum memiliki MPP Digital yang aktif.") % {"name": region.name},
                code="region_not_live",
            )
    job = _create_job(
        kind=RollupJob.Kind.ON_DEMAND, start=start, end=end, actor=actor, regions=regions
    )
    audit_log(
        actor=actor,
        action="monitoring.rollup.requested",
        target=job,
        data={"start": str(start), "end": str(end), "region": region_code, "items": len(regions)},
    )
    return job


def rollup_resume(*, now: dt.datetime | None = None, send=None) -> int:
    """Re-send failed items whose back-off is over, and items lost in a broker or worker
    crash. Returns how many were re-sent. ``send`` (default: the broker) receives the
    (item id, schema) pairs; the tests run them in-process."""
    now = now or timezone.now()
    due = RollupItem.objects.filter(
        Q(status=RollupItem.Status.FAILED, attempts__lt=MAX_ATTEMPTS, next_attempt_at__lte=now)
        | Q(
            status__in=[RollupItem.Status.PENDING, RollupItem.Status.RUNNING],
            updated_at__lt=now - LOST_AFTER,
        )
    )
    items = list(due.values_list("pk", "schema_name"))
    (send or _enqueue)(items)
    return len(items)


# --- one item, as the region task runs it ---------------------------------------------------


def rollup_item_begin(*, item_id: int) -> RollupItem | None:
    """Marks the item running; None when there is nothing to do (already done: a message
    delivered twice)."""
    with transaction.atomic():
        item = (
            RollupItem.objects.select_for_update(of=("self",))
            .select_related("job", "region")
            .get(pk=item_id)
        )
        if item.status == RollupItem.Status.DONE:
            return None
        item.status = RollupItem.Status.RUNNING
        item.attempts += 1
        item.save(update_fields=["status", "attempts", "updated_at"])
    return item


def rollup_since(region_id: int) -> dt.datetime | None:
    """When the region was last rolled up successfully (None: never)."""
    return (
        RegionRollupState.objects.filter(region_id=region_id)
        .values_list("last_success_at", flat=True)
        .first()
    )


def rollup_item_done(*, item: RollupItem, days_written: int, started_at: dt.datetime) -> None:
    RollupItem.objects.filter(pk=item.pk).update(
        status=RollupItem.Status.DONE,
        days_written=days_written,
        last_error="",
        next_attempt_at=None,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    rollup_state_mark(region_id=item.region_id, at=started_at)


def rollup_state_mark(*, region_id: int, at: dt.datetime) -> None:
    """The region was rolled up successfully with what existed at ``at``."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RegionRollupState._meta.db_table} (region_id, last_success_at) "  # noqa: S608
            "VALUES (%s, %s) ON CONFLICT (region_id) DO UPDATE "
            "SET last_success_at = EXCLUDED.last_success_at",
            [region_id, at],
        )


def rollup_item_failed(*, item: RollupItem, error: BaseException) -> None:
    """Failed: retried by rollup_resume after a back-off (1, 4, 9, 16 minutes …) until
    MAX_ATTEMPTS; after that it stays failed and visible on the dashboard."""
    attempts = item.attempts
    RollupItem.objects.filter(pk=item.pk).update(
        status=RollupItem.Status.FAILED,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=(
            timezone.now() + dt.timedelta(minutes=attempts**2) if attempts < MAX_ATTEMPTS else None
        ),
        updated_at=timezone.now(),
    )
    logger.warning("roll-up of %s failed (attempt %d): %s", item.schema_name, attempts, error)


def job_progress(job: RollupJob, counts: dict[str, int] | None = None) -> dict:
    if counts is None:
        counts = dict(
            job.items.values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )
    total = sum(counts.values())
    return {
        "job": job.pk,
        "total": total,
        **{s: counts.get(s, 0) for s in RollupItem.Status.values},
        "percent": round(100 * counts.get("done", 0) / total) if total else 100,
    }


def dashboard_state() -> tuple[str, RollupJob | None, dict | None]:
    """The version token (``version_token``), the latest roll-up run and its progress, in one
    round trip: the national dashboard needs all three on every visit."""
    job_fields = [f.column for f in RollupJob._meta.concrete_fields]
    statuses = list(RollupItem.Status.values)
    counts = ", ".join(
        f"(SELECT count(*) FROM {RollupItem._meta.db_table} i "  # noqa: S608
        f"WHERE i.job_id = job.id AND i.status = %s)"
        for _s in statuses
    )
    sql = f"""
        WITH live AS (SELECT count(*) n, max(id) last, sum(id) total
                      FROM {Mpp._meta.db_table} WHERE status = %s),
             job AS (SELECT * FROM {RollupJob._meta.db_table}
                     ORDER BY created_at DESC, id DESC LIMIT 1)
        SELECT (SELECT token FROM {RollupVersion._meta.db_table} WHERE key = 1),
               live.n, live.last, live.total, {", ".join(f"job.{c}" for c in job_fields)},
               {counts}
        FROM live LEFT JOIN job ON TRUE
    """  # noqa: S608 - table and column names are the models' own
    with connection.cursor() as cursor:
        cursor.execute(sql, [Mpp.Status.LIVE, *statuses])
        row = cursor.fetchone()
    token, live, last, total = row[:4]
    values = row[4 : 4 + len(job_fields)]
    version = f"{token or 'none'}.{live}.{last}.{total}"
    if values[0] is None:
        return version, None, None
    job = RollupJob.from_db(
        "default", [f.attname for f in RollupJob._meta.concrete_fields], list(values)
    )
    tally = dict(zip(statuses, row[4 + len(job_fields) :], strict=True))
    return version, job, job_progress(job, tally)


# --- the one writer of the roll-up tables ---------------------------------------------------

_COLS = (*COUNT_COLUMNS, *QUANTILE_COLUMNS)


def _upsert_sql() -> str:
    table = RegionDay._meta.db_table
    cols = ", ".join(_COLS)
    values = ", ".join(["%s"] * (4 + len(_COLS)))

    def new(c: str) -> str:
        # Snapshots are only known for the latest day: an older day keeps what it had.
        return f"COALESCE(EXCLUDED.{c}, t.{c})" if c in SNAPSHOT else f"EXCLUDED.{c}"

    sets = ", ".join(f"{c} = {new(c)}" for c in _COLS)
    old = ", ".join(f"t.{c}" for c in _COLS)
    fresh = ", ".join(new(c) for c in _COLS)
    return (
        # Column names come from the contract's constants, values are parameters.
        f"INSERT INTO {table} AS t (region_id, province_id, day, computed_at, {cols}) "  # noqa: S608
        f"VALUES ({values}) ON CONFLICT (region_id, day) DO UPDATE SET {sets}, "
        f"computed_at = EXCLUDED.computed_at WHERE ({old}) IS DISTINCT FROM ({fresh})"
    )


def _province_sql() -> str:
    sums = [f"sum({c})" for c in COUNT_COLUMNS]
    wsums = [
        f"sum({q} * {QUANTILE_WEIGHT[q]}) FILTER (WHERE {q} IS NOT NULL)" for q in QUANTILE_COLUMNS
    ]
    weights = [
        f"sum({QUANTILE_WEIGHT[q]}) FILTER (WHERE {q} IS NOT NULL)" for q in QUANTILE_COLUMNS
    ]
    names = [
        *COUNT_COLUMNS,
        *(f"{q}_wsum" for q in QUANTILE_COLUMNS),
        *(f"{q}_weight" for q in QUANTILE_COLUMNS),
    ]
    sets = ", ".join(f"{n} = EXCLUDED.{n}" for n in [*names, "regions", "computed_at"])
    return (
        f"INSERT INTO {ProvinceDay._meta.db_table} (province_id, day, regions, computed_at, "  # noqa: S608
        f"{', '.join(names)}) "
        f"SELECT province_id, day, count(*), now(), {', '.join([*sums, *wsums, *weights])} "
        f"FROM {RegionDay._meta.db_table} WHERE province_id = %s AND day = ANY(%s) "
        f"GROUP BY province_id, day "
        f"ON CONFLICT (province_id, day) DO UPDATE SET {sets}"
    )


def region_days_store(
    *, region_id: int, rows: dict[dt.date, dict], province_id: str | None = None
) -> int:
    """Upserts the region's rows, then refreshes its province's rows for the same days.
    Returns the number of region rows that changed (0 when a re-run found nothing new).

    Runs in one transaction. The province rows are recomputed from committed region rows under
    an advisory lock per (province, day), taken in day order: two regions of one province
    finishing together cannot leave a stale sum behind, nor deadlock.
    """
    if not rows:
        return 0
    if province_id is None:
        province_id = Region.objects.values_list("province_id", flat=True).get(pk=region_id)
    now = timezone.now()
    params = [
        [region_id, province_id, day, now, *(figures.get(c) for c in _COLS)]
        for day, figures in sorted(rows.items())
    ]
    days = sorted(rows)
    with transaction.atomic(), connection.cursor() as cursor:
        changed = 0
        sql = _upsert_sql()
        for p in params:
            cursor.execute(sql, p)
            changed += cursor.rowcount
        if changed:
            province = int(province_id)
            for day in days:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)",
                    [_LOCK_NAMESPACE, province * 1_000_000 + day.toordinal() % 1_000_000],
                )
            cursor.execute(_province_sql(), [province_id, days])
            version_bump(cursor)
    return changed


def version_bump(cursor) -> None:
    """A new token for the roll-up tables (in the caller's transaction)."""
    cursor.execute(
        f"INSERT INTO {RollupVersion._meta.db_table} (key, token) "  # noqa: S608
        "VALUES (1, gen_random_uuid()) ON CONFLICT (key) DO UPDATE SET token = EXCLUDED.token"
    )


def version_token() -> str:
    """What cached figures depend on: the roll-up tables' token and the set of live regions
    (a region going live or suspended changes the dashboard without a roll-up)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT token FROM {RollupVersion._meta.db_table} WHERE key = 1), "  # noqa: S608
            f"count(*), max(id), sum(id) FROM {Mpp._meta.db_table} WHERE status = %s",
            [Mpp.Status.LIVE],
        )
        token, live, last, total = cursor.fetchone()
    return f"{token or 'none'}.{live}.{last}.{total}"
