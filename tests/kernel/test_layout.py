import platform
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_stdlib_platform_is_not_shadowed():
    # Django, Celery, psycopg and sentry-sdk import the stdlib `platform`.
    assert platform.system() in {"Linux", "Darwin", "Windows"}
    assert not (ROOT / "platform" / "__init__.py").exists()
    out = subprocess.run(
        [sys.executable, "-c", "import platform; print(platform.system())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == platform.system()


def test_apps_are_placed_by_folder():
    assert "shared.accounts" in settings.SHARED_APPS
    assert "shared.regions" in settings.SHARED_APPS
    assert "onboarding" in settings.SHARED_APPS
    assert "tenants.audit" in settings.TENANT_APPS
    assert not [a for a in settings.TENANT_APPS if not a.startswith("tenants.")]
    assert not [a for a in settings.SHARED_APPS if a.startswith("tenants.")]
    # Every app folder on disk is installed: nobody maintains the lists by hand.
    for folder in ("shared", "tenants"):
        for apps_py in (ROOT / folder).glob("*/apps.py"):
            assert f"{folder}.{apps_py.parent.name}" in settings.INSTALLED_APPS


def test_import_contract_shared_never_imports_tenants():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_missing_migrations():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
