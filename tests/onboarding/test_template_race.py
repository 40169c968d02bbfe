"""Clones racing a template rebuild: 50 region schemas are cloned on their own connections while
another connection drops and rebuilds the template. Every clone must end complete (the very
structure and migration records of the template), none may see a half-built template, and the
rebuild must keep the template lock for its whole length (real PostgreSQL, committed data, no
transaction wraps this test; the clones are dropped at the end)."""

import threading
import time

import pytest
from django.db import connection

from kernel.schemas import TEMPLATE_SCHEMA
from onboarding.provisioning import locks
from onboarding.provisioning.inspect import schema_structure, structure_diff
from onboarding.provisioning.template import (
    schema_clone,
    schema_drop,
    schema_exists,
    schema_migrations,
    template_ensure,
    template_rebuild,
)

pytestmark = pytest.mark.concurrency

CLONES = 50
NAMES = [f"mpp_98_{n:02d}" for n in range(1, CLONES + 1)]


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        for name in NAMES:  # an interrupted earlier run
            schema_drop(name)
        yield
        connection.set_schema_to_public()
        for name in NAMES:
            schema_drop(name)
        assert not any(schema_exists(name) for name in NAMES)


def _lock_held_by_me() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND pid = pg_backend_pid() AND classid = %s AND objid = %s AND objsubid = 2)",
            list(locks.TEMPLATE),
        )
        return cursor.fetchone()[0]


def test_clones_racing_a_template_rebuild_are_all_complete(committed):
    snapshot = template_ensure()
    reference = schema_structure(TEMPLATE_SCHEMA)
    reference_migrations = schema_migrations(TEMPLATE_SCHEMA)
    assert reference["relations"]

    barrier = threading.Barrier(CLONES + 1)
    failures: list[tuple[str, BaseException]] = []
    spans: dict[str, tuple[float, float]] = {}
    rebuild: dict[str, object] = {}

    def rebuilder() -> None:
        try:
            barrier.wait()
            time.sleep(0.05)  # let the first clones take the template first
            started = time.monotonic()
            with locks.session_lock(locks.TEMPLATE):
                template_rebuild()
                # A clone between here and the unlock would read a template being rebuilt.
                rebuild["held_to_the_end"] = _lock_held_by_me()
            rebuild["span"] = (started, time.monotonic())
        except BaseException as exc:  # surfaced below
            failures.append(("rebuild", exc))
        finally:
            connection.close()

    def clone(i: int, name: str) -> None:
        try:
            barrier.wait()
            time.sleep(0.02 * (i % 10))  # spread the clones over the rebuild
            started = time.monotonic()
            # Half as the pipeline does (a snapshot taken earlier, then the clone), half from
            # scratch (template_ensure while the template may be gone).
            schema_clone(name, snapshot=snapshot if i % 2 else None)
            spans[name] = (started, time.monotonic())
        except BaseException as exc:  # surfaced below
            failures.append((name, exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=rebuilder)]
    threads += [threading.Thread(target=clone, args=(i, n)) for i, n in enumerate(NAMES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert not any(thread.is_alive() for thread in threads)
    assert not failures, failures
    assert rebuild["held_to_the_end"], "the rebuild let go of the template lock before the end"

    # The race happened: clones were under way while the template was rebuilt.
    rebuild_start, rebuild_end = rebuild["span"]
    assert any(start <= rebuild_end and end >= rebuild_start for start, end in spans.values())

    connection.set_schema_to_public()
    assert schema_structure(TEMPLATE_SCHEMA) == reference  # rebuilt to the same code
    for name in NAMES:
        assert schema_exists(name), name
        assert structure_diff(schema_structure(name), reference) == {}, name
        assert schema_migrations(name) == reference_migrations, name
