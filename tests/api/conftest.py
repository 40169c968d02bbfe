"""A Python client generated from a host's own /api/schema/, and a live server to use it against.

The generator (openapi-python-client, a dev dependency) runs offline on the document the live
server serves for that host. It runs with ``--fail-on-warning``: an operation it cannot turn into
code fails the suite, as a breaking schema change would break an integrator's build.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.db import connection

from tests.livethread import live_thread

OPENAPI = "application/vnd.oai.openapi+json"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@dataclass
class LiveServer:
    port: int

    @property
    def url(self) -> str:
        # Loopback by address: *.localhost names need not resolve outside a browser; the Host
        # header picks the site, as a reverse proxy would pass it.
        return f"http://127.0.0.1:{self.port}"

    def host(self, slug: str | None = None) -> str:
        base = settings.MPP_BASE_DOMAIN
        return f"{slug}.{base}:{self.port}" if slug else f"{base}:{self.port}"


@pytest.fixture(scope="session")
def live_server_http(django_db_setup, django_db_blocker):
    """The real application served over HTTP on loopback, against the session's database."""
    with live_thread() as port:
        yield LiveServer(port)


@pytest.fixture
def live_db(django_db_blocker):
    """Autocommit, no wrapping transaction: the live server's thread sees what the test made."""
    with django_db_blocker.unblock():
        yield
    connection.set_schema_to_public()


@dataclass
class Transcript:
    """Every call the generated client made: ``METHOD host path -> status``."""

    lines: list[str] = field(default_factory=list)

    def record(self, response: httpx.Response) -> None:
        request = response.request
        host = request.headers.get("host", "").split(":")[0]
        path = request.url.raw_path.decode()
        self.lines.append(f"{request.method} {host} {path} -> {response.status_code}")


def generate_client(*, schema: dict, package: str, workdir: Path):
    """Generate ``package`` from ``schema`` into ``workdir`` and import it."""
    import json

    document = workdir / f"{package}.json"
    document.write_text(json.dumps(schema))
    config = workdir / "generator.yaml"
    config.write_text("post_hooks: []\n")  # no formatter run: nothing beyond the generator
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(document),
            "--output-path",
            str(workdir / package),
            "--meta",
            "none",
            "--config",
            str(config),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"openapi-python-client could not generate a client from {package}'s schema:\n"
            f"{result.stdout}\n{result.stderr}"
        )
    sys.path.insert(0, str(workdir))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(workdir))


def fetch_schema(live: LiveServer, host: str) -> dict:
    response = httpx.get(
        f"{live.url}/api/schema/", headers={"Host": host, "Accept": OPENAPI}, timeout=60
    )
    assert response.status_code == 200, response.text[:500]
    return response.json()
