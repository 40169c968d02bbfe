"""Invitations and responses for tests, made with the survey's own services inside the current
region schema (offerings from the queue's factories)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from tenants.survey.models import Invitation, Response, SourceKind
from tenants.survey.services import response_submit, survey_invitation_create

_ids = itertools.count(10_000_000)

PROFILE = {"sex": "P", "age": "34", "education": "s1", "occupation": "swasta"}


def invitation(
    offering=None,
    *,
    kind: str = SourceKind.QUEUE_TICKET,
    reference: str | None = None,
    booth=None,
    finished_at: dt.datetime | None = None,
) -> Invitation:
    source_id = next(_ids)
    return survey_invitation_create(
        actor=None,
        source_kind=kind,
        source_id=source_id,
        reference=reference or f"T-{source_id % 1000:03d}",
        offering=offering,
        booth=booth,
        finished_at=finished_at,
    )


def answers(scores, **profile) -> dict:
    data = {f"u{i}": str(s) for i, s in enumerate(scores, start=1)}
    data.update(PROFILE)
    data.update(profile)
    return data


def respond(
    offering=None, scores=(3,) * 9, *, at: dt.datetime | None = None, **profile
) -> Response:
    """One finished transaction of ``offering`` answered with ``scores``."""
    at = at or timezone.now()
    inv = invitation(offering, finished_at=at - dt.timedelta(minutes=5))
    return response_submit(token=inv.token, data=answers(scores, **profile), at=at)
