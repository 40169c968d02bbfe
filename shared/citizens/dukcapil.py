"""The civil-registry (Dukcapil) verification adapter.

The real Dukcapil data-access service cannot be reached from here (access is by agreement,
through a government network). The platform talks to it through ``DukcapilAdapter``; the
adapter is chosen with ``settings.MPP_DUKCAPIL_ADAPTER`` (a dotted path). What ships:

- ``LocalRegistryAdapter``: answers from ``CivilRegistryEntry``, a local register that
  administrators (or the demo seed) load; the default in development and tests;
- ``UnavailableAdapter``: for a deployment without Dukcapil access; every call says the service
  is unavailable, and citizens verify at a counter instead.

Contract (tests/shared/citizens/test_dukcapil.py runs it against every implementation):
- ``verify(nik=, full_name=, birth_date=)`` answers one of ``MATCH``, ``MISMATCH``
  (the NIK is known but the name or birth date differ) or ``NOT_FOUND``;
- names compare case-insensitively, ignoring repeated spaces and punctuation;
- a service that cannot answer raises ``DukcapilUnavailable`` (never a wrong answer);
- nothing is written: verification is a read.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from kernel.errors import DomainError

MATCH = "match"
MISMATCH = "mismatch"
NOT_FOUND = "not_found"


class DukcapilUnavailable(DomainError):
    status_code = 503
    code = "dukcapil_unavailable"

    def __init__(self, message: str | None = None, **kwargs):
        super().__init__(
            message
            or gettext(
                "Layanan verifikasi Dukcapil sedang tidak dapat dihubungi. Profil Anda tetap "
                "tersimpan; coba lagi nanti atau verifikasi di loket MPP dengan KTP-el."
            ),
            **kwargs,
        )


def same_name(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", s or "").casefold().split())

    return bool(norm(a)) and norm(a) == norm(b)


@runtime_checkable
class DukcapilAdapter(Protocol):
    name: str

    def verify(self, *, nik: str, full_name: str, birth_date: dt.date) -> str: ...


class LocalRegistryAdapter:
    name = "local"

    def verify(self, *, nik: str, full_name: str, birth_date: dt.date) -> str:
        from shared.citizens.crypto import nik_indexes
        from shared.citizens.models import CivilRegistryEntry

        entry = CivilRegistryEntry.objects.filter(nik_index__in=nik_indexes(nik)).first()
        if entry is None:
            return NOT_FOUND
        if entry.birth_date != birth_date or not same_name(entry.full_name, full_name):
            return MISMATCH
        return MATCH


class UnavailableAdapter:
    name = "unavailable"

    def verify(self, *, nik: str, full_name: str, birth_date: dt.date) -> str:
        raise DukcapilUnavailable()


def get_adapter() -> DukcapilAdapter:
    path = getattr(
        settings, "MPP_DUKCAPIL_ADAPTER", "shared.citizens.dukcapil.LocalRegistryAdapter"
    )
    adapter = import_string(path)()
    if not isinstance(adapter, DukcapilAdapter):
        raise TypeError(f"{path} does not implement DukcapilAdapter")
    return adapter
