"""The application services emit webhook events: ids and states, never the applicant's data."""

import json

from shared.citizens.models import ApplicationStatus
from shared.webhooks.models import Event
from tenants.applications import services


def test_submit_and_every_transition_emit_events(submitted, mpp_a, citizen, in_region):
    with in_region(mpp_a.mpp):
        op = mpp_a.operator
        services.application_verify(actor=op, application=submitted)
        services.application_process(actor=op, application=submitted)
    events = list(
        Event.objects.filter(subject_type="application", subject_id=str(submitted.pk)).order_by(
            "id"
        )
    )
    assert [(e.kind, e.data["status"]) for e in events] == [
        ("application.submitted", ApplicationStatus.SUBMITTED),
        ("application.status_changed", ApplicationStatus.VERIFIED),
        ("application.status_changed", ApplicationStatus.PROCESSING),
    ]
    assert {e.region_id for e in events} == {mpp_a.mpp.region_id}
    assert events[1].data["previous_status"] == ApplicationStatus.SUBMITTED
    text = json.dumps([e.data for e in events])
    profile = citizen.profile
    assert profile.full_name
    for personal in (profile.full_name, profile.nik or profile.full_name, citizen.user.email):
        assert personal not in text
