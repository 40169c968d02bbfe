"""Provision many regions at once, one forked process per core (a decree designates up to 199).

Each region's pipeline already holds its own advisory lock and resumes after a crash, so running
regions side by side needs no more than separate processes with their own database sessions.
The template is made current once in the parent before forking, so the workers only clone.
"""

import logging
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed

from kernel.tenancy import connection
from onboarding.provisioning.pipeline import PROVISION, pipeline_run
from onboarding.provisioning.rollout import _worker_init
from onboarding.provisioning.template import template_ensure

logger = logging.getLogger(__name__)


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def _run_one(onboarding_id: int, pipeline: str, actor_id: int | None) -> tuple[int, str, int]:
    """One region's pipeline; returns (onboarding id, outcome, milliseconds). Never raises."""
    from shared.accounts.models import User

    started = time.monotonic()
    try:
        actor = User.objects.filter(pk=actor_id).first() if actor_id else None
        outcome = pipeline_run(onboarding_id=onboarding_id, pipeline=pipeline, actor=actor)
    except Exception:
        logger.exception("pipeline of onboarding %s failed", onboarding_id)
        connection.set_schema_to_public()
        outcome = "failed"
    return onboarding_id, outcome, int((time.monotonic() - started) * 1000)


def pipelines_run(
    onboarding_ids: list[int],
    *,
    pipeline: str = PROVISION,
    actor_id: int | None = None,
    jobs: int | None = None,
    on_done: Callable[[int, str, int], None] | None = None,
) -> dict[int, str]:
    """Run (or resume) the pipelines of many regions in parallel; returns each one's outcome."""
    jobs = jobs or default_jobs()
    outcomes: dict[int, str] = {}

    def done(onboarding_id: int, outcome: str, ms: int) -> None:
        outcomes[onboarding_id] = outcome
        if on_done is not None:
            on_done(onboarding_id, outcome, ms)

    if pipeline == PROVISION:
        template_ensure()
    # Inside a transaction (tests, a caller's atomic block) other processes could not see the
    # rows: run here.
    if jobs <= 1 or len(onboarding_ids) <= 1 or connection.in_atomic_block:
        for onboarding_id in onboarding_ids:
            done(*_run_one(onboarding_id, pipeline, actor_id))
        return outcomes
    # Forked with the loaded app registry; each worker opens its own database session.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_worker_init
    ) as pool:
        futures = [pool.submit(_run_one, i, pipeline, actor_id) for i in onboarding_ids]
        for future in as_completed(futures):
            done(*future.result())
    return outcomes
