"""Reads of the national questionnaires. The current version is cached per process for a
minute: every survey page needs it, and it changes a few times a decade."""

from __future__ import annotations

import time

from kernel.errors import NotFoundError
from shared.survey.models import Questionnaire

_CACHE: dict[str, tuple[float, Questionnaire]] = {}
_TTL = 60.0


def current_questionnaire() -> Questionnaire:
    """The latest published version, with its nine elements prefetched."""
    hit = _CACHE.get("current")
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    questionnaire = (
        Questionnaire.objects.published().prefetch_related("elements").order_by("-version").first()
    )
    if questionnaire is None:
        raise NotFoundError("no published SKM questionnaire")
    _CACHE["current"] = (time.monotonic() + _TTL, questionnaire)
    return questionnaire


def forget_current_questionnaire() -> None:
    _CACHE.pop("current", None)


def questionnaire_version(pk: int) -> Questionnaire | None:
    return Questionnaire.objects.prefetch_related("elements").filter(pk=pk).first()
