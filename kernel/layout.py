"""The folder decides the schema (DESIGN.md).

An app is a package with an ``apps.py``. Apps under ``shared/`` and the ``onboarding`` app live
in the ``public`` schema; apps under ``tenants/`` live in every region's schema. Nobody edits
these lists by hand: add a folder and it is picked up.
"""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _apps_under(folder: str) -> list[str]:
    root = BASE_DIR / folder
    return sorted(
        f"{folder}.{p.parent.name}"
        for p in root.glob("*/apps.py")
        if (p.parent / "__init__.py").exists()
    )


def project_shared_apps() -> list[str]:
    return [*_apps_under("shared"), "onboarding"]


def project_tenant_apps() -> list[str]:
    return _apps_under("tenants")
