"""A booking committed just before PostgreSQL went away is acknowledged, not refused: the
session saved after the view is a cache, and losing its write must not undo the answer."""

import pytest
from django.db import OperationalError


def _session_save_fails(monkeypatch, error):
    """The session store's write fails as Django's database backend reports it: an
    ``UpdateError`` raised while handling the database's own error."""
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.backends.db import SessionStore

    def save(self, must_create=False):
        try:
            raise error
        except Exception:
            raise UpdateError  # noqa: B904 (Django's backend chains it implicitly, too)

    monkeypatch.setattr(SessionStore, "save", save)


@pytest.fixture
def booking_offering(region_a, in_region):
    from tests.tenants.queue.factories import EVERY_DAY_ALL_DAY, queue_offering

    with in_region(region_a):
        return queue_offering(prefix="A", hours=EVERY_DAY_ALL_DAY, name="Perekaman KTP-el")


def _book_with_a_stale_session(client, citizen, offering, region, in_region, fail):
    from shared.accounts.middleware import ROLES_KEY
    from tests.tenants.queue.factories import open_day

    with in_region(region):
        day = open_day(offering)
    client.force_login(citizen)
    session = client.session
    session.pop(ROLES_KEY, None)  # the request refreshes its cached roles: a session write
    session.save()
    fail()
    return client.post(
        f"/antrean/pesan/{offering.pk}/", {"tanggal": day.isoformat(), "jam": "09:00"}
    )


def test_a_booking_committed_before_the_database_went_away_is_acknowledged(
    client_a, citizen, booking_offering, region_a, in_region, monkeypatch
):
    from tenants.queue.models import Booking

    lost = OperationalError("terminating connection due to administrator command")
    response = _book_with_a_stale_session(
        client_a,
        citizen,
        booking_offering,
        region_a,
        in_region,
        fail=lambda: _session_save_fails(monkeypatch, lost),
    )
    with in_region(region_a):
        booking = Booking.objects.get(citizen_id=citizen.pk)
    # Not "session deleted" (400) nor "nothing was saved" (503): the citizen would book again.
    assert response.status_code == 302
    assert response["Location"] == f"/antrean/booking/{booking.code}/"


def test_a_session_really_deleted_meanwhile_is_still_refused(
    client_a, citizen, booking_offering, region_a, in_region, monkeypatch
):
    from django.db import DatabaseError

    deleted = DatabaseError("Forced update did not affect any rows.")
    client_a.raise_request_exception = False
    response = _book_with_a_stale_session(
        client_a,
        citizen,
        booking_offering,
        region_a,
        in_region,
        fail=lambda: _session_save_fails(monkeypatch, deleted),
    )
    assert response.status_code == 400
