"""Invitations, one per finished transaction: from a finished queue ticket and a completed
application, single-use, expiring, with clear refusals; and the answers' bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import models
from django.utils import timezone

from kernel.errors import ConflictError, DomainError, NotFoundError
from shared.citizens.models import ResultKind
from tenants.survey.links import invitation_token
from tenants.survey.models import DailySum, Invitation, Response, SourceKind
from tenants.survey.services import (
    InvitationExpiredError,
    invitation_for_ticket_number,
    invitation_for_token,
    normalize_ticket_number,
    response_submit,
    survey_invitation_create,
    survey_settings_update,
)
from tests.tenants.applications import conftest as _applications
from tests.tenants.queue.factories import EVERY_DAY_ALL_DAY, queue_offering, walk_in_today
from tests.tenants.survey.factories import answers, invitation

doc_types = _applications.doc_types
make_citizen = _applications.make_citizen
mpp_a = _applications.mpp_a
citizen = _applications.citizen
submitted = _applications.submitted
eager_tasks = _applications.eager_tasks


def test_a_finished_ticket_gets_one_invitation_with_the_printed_token(in_a, operator_a):
    from tenants.queue.services.tickets import ticket_call_next, ticket_finish, ticket_start

    offering = queue_offering(prefix="S", hours=EVERY_DAY_ALL_DAY)
    counter = offering.test_counters[0]
    ticket = walk_in_today(offering)
    printed = invitation_token(SourceKind.QUEUE_TICKET, ticket.pk)  # on the kiosk's printout
    assert not Invitation.objects.filter(token=printed).exists()
    with pytest.raises(NotFoundError, match="belum selesai"):
        invitation_for_token(printed)  # not finished yet: a clear message, not an error page

    ticket_call_next(actor=operator_a, counter=counter)
    ticket_start(actor=operator_a, counter=counter)
    ticket_finish(actor=operator_a, counter=counter)

    inv = Invitation.objects.get(source_kind=SourceKind.QUEUE_TICKET, source_id=ticket.pk)
    assert inv.token == printed
    assert inv.reference == ticket.number
    assert inv.offering_id == offering.pk
    assert inv.booth_id == counter.booth_id
    assert inv.agency_key == f"l{offering.local_agency_id}"
    assert inv.expires_at - inv.finished_at == dt.timedelta(days=30)
    assert invitation_for_token(printed.upper()) == inv
    # The booth tablet finds it by the number on the ticket, typed any way.
    assert invitation_for_ticket_number(ticket.number.lower().replace("-", " ")) == inv


def test_a_no_show_gets_no_invitation(in_a, operator_a):
    from tenants.queue.services.tickets import ticket_call_next, ticket_no_show

    offering = queue_offering(prefix="N", hours=EVERY_DAY_ALL_DAY)
    ticket = walk_in_today(offering)
    ticket_call_next(actor=operator_a, counter=offering.test_counters[0])
    ticket_no_show(actor=operator_a, counter=offering.test_counters[0])
    assert not Invitation.objects.filter(source_id=ticket.pk).exists()


def test_a_completed_application_gets_an_invitation_and_the_notification_links_it(
    submitted, mpp_a, in_region, django_capture_on_commit_callbacks, eager_tasks
):
    from tenants.applications import services

    with in_region(mpp_a.mpp), django_capture_on_commit_callbacks(execute=True):
        op = mpp_a.operator
        services.application_verify(actor=op, application=submitted)
        services.application_process(actor=op, application=submitted)
        services.application_complete(
            actor=op, application=submitted, result_kind=ResultKind.PICKUP
        )
        inv = Invitation.objects.get(source_kind=SourceKind.APPLICATION, source_id=submitted.pk)
    assert inv.reference == submitted.number
    assert inv.offering_id == mpp_a.offering.pk
    assert inv.booth_id == mpp_a.booth.pk
    assert inv.token == invitation_token(
        SourceKind.APPLICATION, submitted.pk, schema_name=mpp_a.mpp.schema_name
    )
    linked = [m for m in mail.outbox if f"/survei/isi/{inv.token}/" in m.body]
    assert len(linked) == 1
    assert submitted.number in linked[0].subject


def test_a_rejected_application_gets_no_invitation(submitted, mpp_a, in_region):
    from tenants.applications import services

    with in_region(mpp_a.mpp):
        services.application_reject(actor=mpp_a.operator, application=submitted, reason="Palsu")
        assert not Invitation.objects.filter(source_id=submitted.pk).exists()


def test_invitation_is_created_once_per_transaction(in_a):
    offering = queue_offering(prefix="O")
    first = survey_invitation_create(
        actor=None, source_kind="complaint", source_id=77, reference="ADU-77", offering=offering
    )
    again = survey_invitation_create(
        actor=None, source_kind="complaint", source_id=77, reference="ADU-77", offering=offering
    )
    assert first.pk == again.pk
    assert Invitation.objects.filter(source_kind="complaint", source_id=77).count() == 1
    with pytest.raises(ValueError):
        survey_invitation_create(actor=None, source_kind="pizza", source_id=1, reference="x")


def test_one_response_per_transaction_and_clear_refusals(in_a):
    offering = queue_offering(prefix="R")
    inv = invitation(offering)
    response = response_submit(token=inv.token, data=answers((4, 3, 3, 4, 3, 3, 4, 2, 3)))
    assert response.scores == (4, 3, 3, 4, 3, 3, 4, 2, 3)
    assert response.offering_id == offering.pk
    with pytest.raises(ConflictError, match="sudah diisi") as used:
        response_submit(token=inv.token, data=answers((1,) * 9))
    assert used.value.code == "already_answered"
    assert Response.objects.filter(offering=offering).count() == 1
    inv.refresh_from_db()
    assert inv.answered_at is not None
    with pytest.raises(NotFoundError, match="tidak dikenal"):
        response_submit(token="x" * 24, data=answers((3,) * 9))
    with pytest.raises(NotFoundError):
        invitation_for_token("")


def test_expired_invitations_are_refused(in_a, admin_a):
    survey_settings_update(actor=admin_a, invitation_valid_days=7)
    eight_days_ago = timezone.now() - dt.timedelta(days=8)
    old = invitation(finished_at=eight_days_ago)
    assert old.expires_at == eight_days_ago + dt.timedelta(days=7)
    with pytest.raises(InvitationExpiredError, match="sudah habis") as expired:
        response_submit(token=old.token, data=answers((3,) * 9))
    assert expired.value.status_code == 410
    fresh = invitation(finished_at=timezone.now() - dt.timedelta(days=6))
    assert response_submit(token=fresh.token, data=answers((3,) * 9)).pk
    with pytest.raises(DomainError) as bad:
        survey_settings_update(actor=admin_a, invitation_valid_days="0")
    assert "invitation_valid_days" in bad.value.extra["errors"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"u3": ""}, "u3", "Pilih salah satu jawaban untuk unsur Waktu penyelesaian"),
        ({"u4": "5"}, "u4", "harus bernilai 1 sampai 4"),
        ({"u9": "0"}, "u9", "harus bernilai 1 sampai 4"),
        ({"u1": "tiga"}, "u1", "harus bernilai 1 sampai 4"),
        ({"sex": "X"}, "sex", "Pilih jenis kelamin"),
        ({"age": "7"}, "age", "15–100"),
        ({"education": "phd"}, "education", "Pilih pendidikan"),
        ({"occupation": ""}, "occupation", "Pilih pekerjaan"),
        ({"suggestion": "x" * 2001}, "suggestion", "2000 karakter"),
    ],
)
def test_bad_answers_get_a_message_per_field_and_nothing_is_saved(in_a, change, field, message):
    inv = invitation()
    data = {**answers((3,) * 9), **change}
    with pytest.raises(DomainError) as refused:
        response_submit(token=inv.token, data=data)
    errors = refused.value.extra["errors"]
    assert list(errors) == [field]
    assert message in errors[field][0]
    inv.refresh_from_db()
    assert inv.answered_at is None
    assert not DailySum.objects.filter(sum_u1__gt=0, offering=None).exists()


def test_every_response_adds_to_its_days_sums(in_a):
    from tenants.survey.figures import daily_figures, daily_figures_by_offering

    offering = queue_offering(prefix="D")
    other = queue_offering(prefix="E")
    today = timezone.localdate()
    before = daily_figures(today)
    for scores, o in [
        ((4,) * 9, offering),
        ((2, 3, 4, 1, 2, 3, 4, 1, 2), offering),
        ((3,) * 9, other),
    ]:
        response_submit(token=invitation(o).token, data=answers(scores))
    row = DailySum.objects.get(date=today, offering=offering)
    assert row.respondents == 2
    assert [getattr(row, f"sum_u{i}") for i in range(1, 10)] == [6, 7, 8, 5, 6, 7, 8, 5, 6]
    after = daily_figures(today)
    assert after["skm_respondents"] - before["skm_respondents"] == 3
    assert after["skm_sum_u1"] - before["skm_sum_u1"] == 4 + 2 + 3
    assert after["skm_sum_u9"] - before["skm_sum_u9"] == 4 + 2 + 3
    assert set(after) == {"skm_respondents", *(f"skm_sum_u{i}" for i in range(1, 10))}
    by_offering = {r["offering_id"]: r for r in daily_figures_by_offering(today)}
    assert by_offering[offering.pk]["skm_respondents"] == 2
    assert by_offering[offering.pk]["skm_sum_u4"] == 4 + 1
    assert by_offering[other.pk]["skm_sum_u4"] == 3


def test_responses_without_an_offering_share_one_row_a_day(in_a):
    today = timezone.localdate()
    for _ in range(2):
        response_submit(token=invitation(None, kind="complaint").token, data=answers((2,) * 9))
    row = DailySum.objects.get(date=today, offering=None)
    assert row.respondents >= 2


@pytest.mark.parametrize(
    ("raw", "number"),
    [("A-012", "A-012"), ("a12", "A-012"), (" b 7 ", "B-007"), ("C-0123", "C-123"), ("12", ""),
     ("AB-1", ""), ("", "")],
)  # fmt: skip
def test_ticket_numbers_typed_at_the_tablet(raw, number):
    assert normalize_ticket_number(raw) == number


def test_tablet_refuses_unknown_and_used_numbers(in_a):
    with pytest.raises(DomainError, match="A-012"):
        invitation_for_ticket_number("A-12")
    with pytest.raises(DomainError, match="nomor antrean"):
        invitation_for_ticket_number("??")
    inv = invitation(reference="Z-001")
    response_submit(token=inv.token, data=answers((3,) * 9))
    with pytest.raises(ConflictError):
        invitation_for_ticket_number("Z-001")


def test_rebuilding_daily_sums_gives_what_responses_added(in_a):
    from tenants.survey.services import daily_sums_rebuild

    offering = queue_offering(prefix="F")
    for scores in ((4, 3, 2, 1, 4, 3, 2, 1, 4), (1,) * 9, (4,) * 9):
        response_submit(token=invitation(offering).token, data=answers(scores))

    def snapshot():
        return sorted(
            DailySum.objects.values_list("date", "offering_id", "respondents", "sum_u1", "sum_u9")
        )

    added = snapshot()
    assert daily_sums_rebuild() == len(added)
    assert snapshot() == added


def test_changed_days_for_the_national_roll_up(in_a):
    """A response changes its own day; a rebuild (bulk import, repair) every day it writes."""
    import datetime as dt

    from tenants.mpp.selectors import region_now
    from tenants.survey.figures import changed_days
    from tenants.survey.services import daily_sums_rebuild

    offering = queue_offering(prefix="G")
    long_ago = timezone.now() - dt.timedelta(days=40)
    response_submit(
        token=invitation(offering, finished_at=long_ago).token,
        data=answers((3,) * 9),
        at=long_ago + dt.timedelta(hours=1),
    )
    since = timezone.now()
    response_submit(token=invitation(offering).token, data=answers((4,) * 9))
    today = timezone.localdate()
    assert changed_days(since) == [today]
    daily_sums_rebuild()
    assert region_now(long_ago + dt.timedelta(hours=1)).date() in changed_days(since)
    assert today in changed_days(since)


def test_a_response_cannot_be_traced_back_to_its_transaction(in_a):
    """No link from the answers (and the suggestion) to the invitation, the application or ticket
    behind it, or a user; the day is kept, not the time."""
    fields = {f.name: f for f in Response._meta.get_fields()}
    assert not [f for f in fields.values() if f.is_relation and f.related_model is Invitation]
    assert not [f for f in fields.values() if isinstance(f, models.DateTimeField)]
    assert not {"invitation", "user", "citizen", "source_id", "reference"} & set(fields)
    offering = queue_offering(prefix="H")
    inv = invitation(offering)
    response = response_submit(token=inv.token, data=answers((3,) * 9, suggestion="Lambat"))
    from tenants.audit.models import AuditEntry

    assert response.pk
    assert AuditEntry.objects.filter(action="survey.response.recorded").exists()
    assert not AuditEntry.objects.filter(target_type="survey.response").exists()
