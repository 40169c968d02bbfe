"""``on_commit_batched``: many calls in one transaction, one run after commit with every item; a
rolled-back savepoint takes its items with it."""

import pytest
from django.db import transaction

from kernel.oncommit import on_commit_batched

pytestmark = pytest.mark.django_db


def test_one_run_per_transaction_with_every_item(django_capture_on_commit_callbacks):
    runs: list[set] = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for item in (1, 2, 2, 3):
            on_commit_batched("key", [item], runs.append)
        on_commit_batched("other", ["x"], runs.append)
    assert len(callbacks) == 2
    assert runs == [{1, 2, 3}, {"x"}]


def test_nothing_runs_before_the_commit(django_capture_on_commit_callbacks):
    runs: list[set] = []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        on_commit_batched("key", [1], runs.append)
    assert runs == []
    assert len(callbacks) == 1


def test_a_rolled_back_savepoint_takes_its_batch_along(django_capture_on_commit_callbacks):
    runs: list[set] = []
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                on_commit_batched("key", ["lost"], runs.append)
                raise RuntimeError
        except RuntimeError:
            pass
        on_commit_batched("key", ["kept"], runs.append)
    assert runs == [{"kept"}]
