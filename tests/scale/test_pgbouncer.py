"""PgBouncer in session mode in front of the real server: a representative part of the suite
(routing, region requests, region tasks through a real worker, provisioning a region) runs through
it in a pytest of its own, on a test database of its own; and behind transaction pooling the
platform refuses to start with a clear error (mpp_platform/pooler.py)."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from mpp_platform.pooler import SessionPoolerError, require_session_pooling
from scripts.services import ROOT, start_pgbouncer

THROUGH_PGBOUNCER = [
    "tests/kernel/test_routing.py",
    "tests/kernel/test_tasks.py",
    "tests/onboarding/test_pipeline.py",
    "tests/onboarding/test_celery_worker.py",
    "tests/scale/test_citus_rule.py",
]


@pytest.fixture
def pgbouncer():
    started: list[subprocess.Popen] = []
    workdirs: list[Path] = []

    def _start(pool_mode: str) -> tuple[str, Path]:
        # Not under pytest's tmp root (0700 for root): PgBouncer may run as another user.
        workdir = Path(tempfile.mkdtemp(prefix=f"mpp-pgbouncer-{pool_mode}-"))
        workdirs.append(workdir)
        url, process = start_pgbouncer(
            os.environ["DATABASE_URL"], pool_mode=pool_mode, workdir=workdir
        )
        started.append(process)
        return url, workdir

    yield _start
    for process in started:
        process.terminate()
        process.wait(timeout=10)
    for workdir in workdirs:
        shutil.rmtree(workdir, ignore_errors=True)


def _conninfo(url: str) -> dict:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return {
        "host": parts.hostname,
        "port": parts.port,
        "user": parts.username,
        "dbname": parts.path.lstrip("/"),
        "connect_timeout": 5,
    }


def _boot(url: str) -> subprocess.CompletedProcess:
    """Start the web application the way gunicorn loads it."""
    env = {**os.environ, "DATABASE_URL": url, "MPP_ENV": "test"}
    return subprocess.run(
        [sys.executable, "-c", "import mpp_platform.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_part_of_the_suite_passes_through_pgbouncer_in_session_mode(pgbouncer):
    url, workdir = pgbouncer("session")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MPP_TEST_DB_NAME": "test_mpp_pgbouncer",
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *THROUGH_PGBOUNCER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert " passed" in result.stdout
    print("through PgBouncer (session mode):", result.stdout.strip().splitlines()[-1])
    # The connections really went through PgBouncer, to the inner run's own test database.
    log = (workdir / "pgbouncer.log").read_text()
    assert "db=test_mpp_pgbouncer" in log


def test_session_mode_and_direct_connections_keep_sessions(pgbouncer):
    url, _ = pgbouncer("session")
    require_session_pooling(_conninfo(url))
    from mpp_platform.pooler import conninfo_from_settings

    require_session_pooling(conninfo_from_settings())


def test_transaction_pooling_is_detected(pgbouncer):
    url, _ = pgbouncer("transaction")
    with pytest.raises(SessionPoolerError, match="pool_mode = session"):
        require_session_pooling(_conninfo(url))


def test_statement_pooling_is_detected(pgbouncer):
    url, _ = pgbouncer("statement")
    with pytest.raises(SessionPoolerError):
        require_session_pooling(_conninfo(url))


def test_the_web_process_refuses_to_start_behind_transaction_pooling(pgbouncer):
    url, _ = pgbouncer("transaction")
    refused = _boot(url)
    assert refused.returncode != 0
    assert "menolak berjalan" in refused.stderr
    assert "pool_mode = session" in refused.stderr
    assert "Traceback" in refused.stderr  # ImproperlyConfigured stops the import, as it should

    session_url, _ = pgbouncer("session")
    started = _boot(session_url)
    assert started.returncode == 0, started.stderr[-3000:]
