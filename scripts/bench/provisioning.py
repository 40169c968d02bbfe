"""Provisioning bench: the template-clone pipeline against django-tenants' default path.

Runs in its own database (``bench_provisioning`` on the DATABASE_URL server, created and dropped
here). Provisions ``--regions`` regions through the real pipeline (schema cloned from the
template, domain, starter offerings, DPMPTSP admin and invitation, live) and times each one;
then, with those regions live, re-creates ``--baseline-regions`` of them through django-tenants'
default ``auto_create_schema`` path (``Mpp.save()`` runs every migration on the new schema) on
the same migrations, and times that. Also times a no-op ``migrate_regions`` over every schema.

Then a decree (``--decree``, 199 like KepMenPANRB 457/2024): a bulk file listing that many new
regions plus some already live (the pilots), validated, applied and provisioned in parallel
processes (``onboard_bulk``'s path); ``decree_s`` is from upload to the last region live. The
same file applied again must change nothing (``decree_rerun_changes``). Target: ≤ 30 s on 2 cores.

Fair comparison: both paths run with the same commit setting (``synchronous_commit = off``, the
setting the pipeline gives itself, made the bench database's default so the baseline's
migrations, which django-tenants runs and then closes the connection of, get it too), and in
alternating order: the baseline regions are re-created at points spread over the pipeline run,
before the pipeline's next region for even pairs and after it for odd ones, so neither path
always runs on a warmer (or fuller) server.

    .venv/bin/python -m scripts.dev bench provisioning --regions 514

Targets (DESIGN.md): median ≤ 1 s per region, ≥ 10× faster than the baseline, a no-op
``migrate_regions`` ≤ 15 s, all 514 regions ≤ 5 min (when ``--regions 514``), the decree ≤ 30 s
with a re-run that changes nothing. Prints each target and exits 1 when one is missed. Ends with
``BENCH provisioning {json}``.
"""

import argparse
import json
import os
import statistics
import sys
import time
from urllib.parse import urlsplit, urlunsplit

BENCH_DB = "bench_provisioning"
SYNCHRONOUS_COMMIT = "off"  # onboarding.provisioning.pipeline._relaxed_commits

TARGET_MEDIAN_S = 1.0
TARGET_RATIO = 10.0
TARGET_NOOP_S = 15.0
TARGET_ALL_S = 300.0  # all 514 regions
TARGET_DECREE_S = 30.0


def _server_url(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + dbname))


def _admin_connection(url: str):
    import psycopg

    parts = urlsplit(_server_url(url, "postgres"))
    from urllib.parse import unquote

    return psycopg.connect(
        host=unquote(parts.hostname or "") if parts.hostname else None,
        port=parts.port,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        dbname="postgres",
        autocommit=True,
    )


def _recreate_database(url: str) -> None:
    with _admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
        # Every connection of the bench, whichever path opens it, commits the same way.
        conn.execute(f'ALTER DATABASE "{BENCH_DB}" SET synchronous_commit = {SYNCHRONOUS_COMMIT}')


def _drop_database(url: str) -> None:
    with _admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def _p95(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench provisioning")
    parser.add_argument("--regions", type=int, default=30, help="regions to provision (≤ 514)")
    parser.add_argument(
        "--baseline-regions",
        type=int,
        default=8,
        help="regions re-created through the default path (slow: a sample is enough)",
    )
    parser.add_argument("--decree", type=int, default=199, help="regions in the decree (0: skip)")
    parser.add_argument("--jobs", type=int, default=0, help="decree processes (0: one per core)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args(argv)

    original_url = os.environ["DATABASE_URL"]
    # The bench must never touch the dev database: only its own one.
    # The DATABASE_URL's host part may be a unix-socket directory (percent-encoded).
    _recreate_database(original_url)
    os.environ["DATABASE_URL"] = _server_url(original_url, BENCH_DB)
    os.environ.setdefault("MPP_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp_platform.settings")
    try:
        return _run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _drop_database(original_url)


def _run(args) -> int:
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection

    from onboarding.models import Onboarding, PipelineStep
    from onboarding.provisioning.rollout import regions_migrate
    from onboarding.provisioning.template import schema_drop
    from onboarding.services import mpp_provision
    from shared.regions.models import Domain, Mpp, Region
    from shared.regions.services import regions_load

    started = time.monotonic()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    regions_load()
    try:
        call_command("catalogue_load_starter", verbosity=0)
        catalogue = "starter"
    except Exception as exc:  # the catalogue loader is another app's; bench without it
        catalogue = f"none ({type(exc).__name__})"
    setup_s = time.monotonic() - started

    t0 = time.monotonic()
    regions_migrate(jobs=1)  # the one-off cost: migrate the template, capture its DDL
    template_s = time.monotonic() - t0

    regions = list(Region.objects.order_by("code")[: args.regions])
    # Baseline pairs spread over the run; each re-creates a region the pipeline made live
    # earlier, through django-tenants' default path, with the others live.
    pairs_n = min(args.baseline_regions, max(0, len(regions) - 1))
    pairs = {1 + (j * (len(regions) - 1)) // pairs_n: j for j in range(pairs_n)} if pairs_n else {}
    print(
        f"setup {setup_s:.1f} s (catalogue: {catalogue}); template {template_s:.2f} s; "
        f"provisioning {len(regions)} regions, {pairs_n} baseline regions between them, "
        f"synchronous_commit = {_synchronous_commit()} …",
        flush=True,
    )
    fast: list[float] = []
    baseline: list[float] = []
    commit_settings: set[str] = set()

    def seen_setting(execute, sql, params, many, context):
        # The pipeline's own SET (its RESET returns to the database's default, the same value).
        if sql.startswith("SET synchronous_commit"):
            commit_settings.add(sql.rsplit(" ", 1)[-1])
        return execute(sql, params, many, context)

    def pipeline_one(region) -> None:
        t0 = time.perf_counter()
        with connection.execute_wrapper(seen_setting):
            mpp_provision(
                region=region,
                admin_email=f"admin.{region.slug}@bench.mpp.go.id",
                admin_name=f"Admin {region.name}",
            )
        fast.append(time.perf_counter() - t0)

    def baseline_one(region) -> None:
        Mpp.objects.filter(region=region).delete()  # cascades to the domain
        Onboarding.objects.filter(region=region).delete()
        schema_drop(region.schema_name)
        commit_settings.add(_synchronous_commit())
        t0 = time.perf_counter()
        mpp = Mpp(region=region, schema_name=region.schema_name, status=Mpp.Status.LIVE)
        mpp.auto_create_schema = True  # django-tenants' default: save() runs the migrations
        mpp.save(verbosity=0)
        Domain.objects.create(domain=f"{region.slug}.bench.localhost", tenant=mpp, is_primary=True)
        baseline.append(time.perf_counter() - t0)
        connection.set_schema_to_public()
        commit_settings.add(_synchronous_commit())  # on the connection django-tenants reopened
        print(f"  baseline {region.slug}: {baseline[-1]:.2f} s", flush=True)

    for i, region in enumerate(regions, 1):
        pair = pairs.get(i - 1)
        if pair is not None and pair % 2 == 0:
            baseline_one(regions[i - 2])
        pipeline_one(region)
        if pair is not None and pair % 2 == 1:
            baseline_one(regions[i - 2])
        if i % 50 == 0 or i == len(regions):
            print(
                f"  {i:4d} live, median so far {_median(fast) * 1000:.0f} ms, "
                f"last {fast[-1] * 1000:.0f} ms",
                flush=True,
            )
    # The pipeline's own time (the baseline runs in between are not part of it).
    total_s = sum(fast)
    _FAST.extend(fast)
    step_times: dict[str, list[float]] = {}
    for step in PipelineStep.objects.filter(status__in=["done", "skipped"]):
        step_times.setdefault(step.name, []).append(
            (step.finished_at - step.started_at).total_seconds()
        )
    clone = step_times.get("create_schema", [])
    print(
        "  median per step: "
        + ", ".join(f"{name} {_median(t) * 1000:.0f} ms" for name, t in step_times.items()),
        flush=True,
    )
    seeded = [s.detail.get("seeded", 0) for s in PipelineStep.objects.filter(name="seed_offerings")]

    # A no-op deploy as a deploy runs it: a fresh `manage.py migrate_regions` process.
    import subprocess

    t0 = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", "migrate_regions", "--verbosity=0"],
        check=True,
        env=os.environ,
        stdout=subprocess.DEVNULL,
    )
    migrate_noop_s = time.monotonic() - t0
    noop = regions_migrate(jobs=2)
    assert noop.behind == [], noop.behind

    decree = _decree(args, regions) if args.decree else {}

    live = Mpp.objects.filter(status=Mpp.Status.LIVE).count()
    median_s = _median(fast)
    baseline_median_s = _median(baseline)
    result = {
        "median_s": round(median_s, 4),
        "p95_s": round(_p95(fast), 4),
        "clone_median_s": round(_median(clone), 4),
        "baseline_median_s": round(baseline_median_s, 4),
        "ratio": round(baseline_median_s / median_s, 1) if median_s else None,
        "regions": len(regions),
        "live": live,
        "total_s": round(total_s, 1),
        "template_s": round(template_s, 2),
        "migrate_noop_s": round(migrate_noop_s, 2),
        "baseline_regions": len(baseline),
        "order": "alternating",
        "synchronous_commit": sorted(commit_settings),
        "seeded_offerings_per_region": round(_median(seeded), 1),
        **decree,
    }
    print(
        f"""
pipeline (clone from template) per region: median {median_s * 1000:.0f} ms, \
p95 {result["p95_s"] * 1000:.0f} ms (schema step alone {result["clone_median_s"] * 1000:.0f} ms)
django-tenants auto_create_schema per region: median {baseline_median_s * 1000:.0f} ms \
({len(baseline)} regions)
ratio {result["ratio"]}×; {len(regions)} regions in {total_s:.1f} s; \
no-op migrate_regions over {noop.checked} schemas {migrate_noop_s:.2f} s""",
        flush=True,
    )
    if decree:
        print(
            f"decree of {decree['decree_regions']} regions (+{decree['decree_already_live']} "
            f"already live): {decree['decree_s']:.1f} s with {decree['decree_jobs']} processes "
            f"(one at a time it would take about {decree['decree_sequential_estimate_s']:.0f} s); "
            f"re-run changed {decree['decree_rerun_changes']} rows; target ≤ 30 s",
            flush=True,
        )
    targets = {
        f"median per region {median_s:.3f} s ≤ {TARGET_MEDIAN_S:.0f} s": (
            median_s <= TARGET_MEDIAN_S
        ),
        f"ratio {result['ratio']}× ≥ {TARGET_RATIO:.0f}×": (result["ratio"] or 0) >= TARGET_RATIO,
        f"no-op migrate_regions {migrate_noop_s:.2f} s ≤ {TARGET_NOOP_S:.0f} s": (
            migrate_noop_s <= TARGET_NOOP_S
        ),
        # A comparison only if both paths committed the same way.
        f"same commit setting on both paths {sorted(commit_settings)}": len(commit_settings) == 1,
    }
    if len(regions) >= 514:
        targets[f"all {len(regions)} regions {total_s:.0f} s ≤ {TARGET_ALL_S:.0f} s"] = (
            total_s <= TARGET_ALL_S
        )
    if decree:
        targets[f"decree {decree['decree_s']:.1f} s ≤ {TARGET_DECREE_S:.0f} s, all live"] = (
            decree["decree_s"] <= TARGET_DECREE_S and not decree["decree_failed"]
        )
        targets[f"decree re-run changes {decree['decree_rerun_changes']} = 0"] = (
            decree["decree_rerun_changes"] == 0
        )
    for label, met in targets.items():
        print(f"target {label}: {'met' if met else 'MISSED'}", flush=True)
    result["target_met"] = all(targets.values())
    print("BENCH provisioning " + json.dumps(result), flush=True)
    return 0 if result["target_met"] else 1


def _synchronous_commit() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def _decree(args, pilots) -> dict:
    """A decree file of new regions plus pilots already live, applied as onboard_bulk does."""
    from django.db import connection

    from onboarding.bulk import bulk_apply, bulk_validate
    from onboarding.models import BulkBatch, Onboarding, PipelineStep
    from onboarding.provisioning.parallel import default_jobs, pipelines_run
    from shared.accounts.models import User
    from shared.audit.models import AuditEntry
    from shared.regions.models import Mpp, Region

    connection.set_schema_to_public()
    actor = User.objects.create_superuser(email="decree@bench.mpp.go.id", password=None)
    live_codes = set(Mpp.objects.values_list("region__code", flat=True))
    new = list(Region.objects.exclude(code__in=live_codes).order_by("code")[: args.decree])
    # The pilots as onboarding left them (the baseline's re-created sample has no onboarding).
    onboarded_live = set(
        Onboarding.objects.filter(stage="live", region__in=pilots).values_list(
            "region_id", flat=True
        )
    )
    listed_live = [r for r in pilots if r.pk in onboarded_live][:10]
    rows = "".join(
        f"{r.code};457/2024;2024-06-03;admin.{r.slug}@decree.bench.mpp.go.id\n"
        for r in [*listed_live, *new]
    )
    raw = ("kode;nomor_keputusan;tanggal_keputusan;email_admin\n" + rows).encode()
    jobs = args.jobs or default_jobs()

    t0 = time.monotonic()
    validation = bulk_validate(raw)
    assert validation.ok, validation.errors[:5]
    batch = bulk_apply(actor=actor, validation=validation, file_name="kepmen.csv", enqueue=False)
    assert batch is not None
    outcomes = pipelines_run(
        list(batch.onboardings.values_list("pk", flat=True)), actor_id=actor.pk, jobs=jobs
    )
    decree_s = time.monotonic() - t0
    failed = [k for k, v in outcomes.items() if v != "done"]
    live_now = Mpp.objects.filter(region__in=new, status=Mpp.Status.LIVE).count()

    def state():
        return (
            Onboarding.objects.count(),
            BulkBatch.objects.count(),
            PipelineStep.objects.count(),
            AuditEntry.objects.count(),
            Mpp.objects.count(),
            User.objects.count(),
        )

    before = state()
    again = bulk_validate(raw)
    assert again.ok, again.errors[:5]
    assert not again.rows
    assert bulk_apply(actor=actor, validation=again, enqueue=False) is None
    changes = sum(abs(a - b) for a, b in zip(state(), before, strict=True))
    steps = PipelineStep.objects.filter(onboarding__batch=batch, status="done")
    per_region = _median(
        [(s.finished_at - s.started_at).total_seconds() for s in steps if s.name == "create_schema"]
    )
    print(f"  decree: {live_now}/{len(new)} live, {len(failed)} failed", flush=True)
    return {
        "decree_s": round(decree_s, 1),
        "decree_regions": len(new),
        "decree_live": live_now,
        "decree_failed": len(failed),
        "decree_already_live": len(listed_live),
        "decree_skipped_reported": len(validation.skipped),
        "decree_jobs": jobs,
        "decree_sequential_estimate_s": round(_median(_FAST) * len(new), 1),
        "decree_clone_median_s": round(per_region, 4),
        "decree_rerun_changes": changes,
    }


_FAST: list[float] = []


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
