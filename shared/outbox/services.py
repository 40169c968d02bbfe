"""Enqueue background work through a transactional outbox, so a broker outage loses nothing.

``task_enqueue`` writes a row in the caller's transaction (rolled-back work enqueues nothing) and,
once it commits, hands the message to the broker at once. When the broker is down the row stays
pending and the request carries on: ``outbox_relay`` (every few seconds from beat, and when a
worker starts) sends what is pending once the broker is back. Delivery is at least once: a relay
that dies between the broker's accept and recording it sends that row again, so tasks stay
idempotent (the provisioning pipeline resumes; region jobs recompute).
"""

import logging
import time

from celery import current_app
from django.db import transaction
from django.utils import timezone

from kernel.tenancy import connection
from shared.outbox.models import TaskOutbox

logger = logging.getLogger(__name__)


# After a failed send, this process leaves sending to the relay for a while: a broker that is
# down costs one web request a second of connection attempts, not every request.
BACKOFF_SECONDS = 10.0
_broker_down_until = 0.0


def task_enqueue(task_name: str, *, kwargs: dict, schema_name: str = "") -> TaskOutbox:
    """Record the task now; send it after commit (or later, by the relay)."""
    row = TaskOutbox.objects.create(task_name=task_name, kwargs=kwargs, schema_name=schema_name)

    def _send() -> None:
        if time.monotonic() >= _broker_down_until:
            outbox_send(ids=[row.pk])

    transaction.on_commit(_send, robust=True)
    return row


def _publish(row: TaskOutbox) -> None:
    headers = {"_schema_name": row.schema_name} if row.schema_name else None
    kwargs = {**row.kwargs, "schema_name": row.schema_name} if row.schema_name else row.kwargs
    if current_app.conf.task_always_eager:  # tests: run here, now
        current_app.loader.import_default_modules()  # the tasks modules (autodiscovery)
        current_app.tasks[row.task_name].apply_async(kwargs=kwargs, headers=headers)
        return
    # Fail fast: a broker that is down must not hold a web request; the relay retries.
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
        current_app.send_task(
            row.task_name, kwargs=kwargs, headers=headers, retry=False, connection=conn
        )


def outbox_send(*, ids: list[int] | None = None, limit: int = 500) -> int:
    """Send pending rows (these ids, or the oldest ``limit``); returns how many the broker took.

    Rows are locked with SKIP LOCKED, so two relays never send the same row at once."""
    global _broker_down_until  # per-process back-off after a failed send
    if connection.schema_name != "public":
        from django_tenants.utils import schema_context

        with schema_context("public"):
            return outbox_send(ids=ids, limit=limit)
    sent = 0
    with transaction.atomic():
        pending = TaskOutbox.objects.select_for_update(skip_locked=True).filter(
            sent_at__isnull=True
        )
        if ids is not None:
            pending = pending.filter(pk__in=ids)
        for row in pending.order_by("created_at", "pk")[:limit]:
            try:
                _publish(row)
            except Exception as exc:  # the broker is down: keep the row, stop for now
                _broker_down_until = time.monotonic() + BACKOFF_SECONDS
                TaskOutbox.objects.filter(pk=row.pk).update(
                    attempts=row.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:300]
                )
                logger.warning("outbox: broker unavailable, %s stays pending", row.task_name)
                break
            TaskOutbox.objects.filter(pk=row.pk).update(
                sent_at=timezone.now(), attempts=row.attempts + 1, last_error=""
            )
            _broker_down_until = 0.0
            sent += 1
    return sent


def outbox_pending() -> int:
    return TaskOutbox.objects.filter(sent_at__isnull=True).count()
