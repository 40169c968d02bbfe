"""One response per transaction when many submits race, each thread on its own PostgreSQL
connection; and the daily sums stay exact when many different transactions are answered at once.

These tests commit (see tests/tenants/queue/test_concurrency.py for why): rows are made with
unique names in Banyuwangi's schema and removed at the end.
"""

from __future__ import annotations

from collections import Counter as Tally
from contextlib import contextmanager

import pytest
from django.db import connection

from tests.tenants.queue.test_concurrency import _remove, race
from tests.tenants.survey.factories import answers, invitation

pytestmark = pytest.mark.concurrency

ATTEMPTS = 60


@contextmanager
def committed_offering(django_db_blocker):
    """An offering in Banyuwangi's schema, committed; it and every survey row of it removed
    after."""
    from shared.regions.models import Mpp
    from tenants.survey.models import DailySum, Invitation, Response
    from tests.tenants.queue.factories import queue_offering

    with django_db_blocker.unblock():
        mpp = Mpp.objects.select_related("region").get(region__code="35.10")
        connection.set_tenant(mpp)
        offering = queue_offering(prefix="U")
        connection.set_schema_to_public()
        try:
            yield mpp, offering
        finally:
            connection.set_tenant(mpp)
            Response.objects.filter(offering=offering).delete()
            Invitation.objects.filter(offering=offering).delete()
            DailySum.objects.filter(offering=offering).delete()
            _remove([offering])
            connection.set_schema_to_public()


def test_many_submits_of_one_invitation_save_one_response(django_db_setup, django_db_blocker):
    from tenants.survey.models import DailySum, Response
    from tenants.survey.services import response_submit

    with committed_offering(django_db_blocker) as (mpp, offering):
        connection.set_tenant(mpp)
        token = invitation(offering).token
        connection.set_schema_to_public()

        def submit(i: int):
            connection.set_tenant(mpp)
            scores = (1 + i % 4,) * 9
            return response_submit(token=token, data=answers(scores)).pk

        results = race(submit, ATTEMPTS)
        outcomes = Tally(r[0] for r in results)
        assert outcomes == {"ok": 1, "refused": ATTEMPTS - 1}
        assert {r[1] for r in results if r[0] == "refused"} == {"already_answered"}
        connection.set_tenant(mpp)
        try:
            saved = Response.objects.filter(offering=offering)
            assert saved.count() == 1
            row = DailySum.objects.get(offering=offering)
            assert row.respondents == 1
            assert row.sum_u1 == saved.get().u1 * 1
        finally:
            connection.set_schema_to_public()


def test_many_transactions_answered_at_once_keep_exact_sums(django_db_setup, django_db_blocker):
    from tenants.survey.models import DailySum, Response
    from tenants.survey.services import response_submit

    with committed_offering(django_db_blocker) as (mpp, offering):
        connection.set_tenant(mpp)
        tokens = [invitation(offering).token for _ in range(ATTEMPTS)]
        connection.set_schema_to_public()

        def submit(i: int):
            connection.set_tenant(mpp)
            return response_submit(token=tokens[i], data=answers((1 + i % 4,) * 9)).pk

        results = race(submit, ATTEMPTS)
        assert all(r[0] == "ok" for r in results)
        connection.set_tenant(mpp)
        try:
            assert Response.objects.filter(offering=offering).count() == ATTEMPTS
            row = DailySum.objects.get(offering=offering)
            assert row.respondents == ATTEMPTS
            expected = sum(1 + i % 4 for i in range(ATTEMPTS))
            assert [getattr(row, f"sum_u{k}") for k in range(1, 10)] == [expected] * 9
        finally:
            connection.set_schema_to_public()
