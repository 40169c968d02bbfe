"""Complaints emit webhook events (filed, first answered, closed) without the complainant's data."""

import json

from shared.webhooks.models import Event
from tests.tenants.complaints.conftest import SECRET_EMAIL, SECRET_NAME, SECRET_PHONE


def test_filed_answered_closed(clock, mpp_a, officer_a, complainant, file_complaint, in_region):
    from tenants.complaints.models import Complexity
    from tenants.complaints.services import complaint_close, complaint_route

    clock.set(2026, 3, 2)
    complaint = file_complaint(mpp_a.mpp, owner=complainant.user)
    with in_region(mpp_a.mpp):
        routed = complaint_route(
            actor=officer_a,
            complaint=complaint,
            booth=mpp_a.booth,
            complexity=Complexity.NO_FIELD_CHECK,
            note="Mohon dicek.",
        )
        complaint_close(actor=mpp_a.operator, complaint=routed, answer="Sudah ditangani.")
    events = list(
        Event.objects.filter(subject_type="complaint", subject_id=str(complaint.pk)).order_by("id")
    )
    assert [e.kind for e in events] == ["complaint.filed", "complaint.answered", "complaint.closed"]
    assert {e.region_id for e in events} == {mpp_a.mpp.region_id}
    assert events[0].data["number"] == complaint.number
    assert events[-1].data["status"] == "closed"
    text = json.dumps([e.data for e in events])
    for secret in (SECRET_NAME, SECRET_EMAIL, SECRET_PHONE, "Petugas tidak ramah"):
        assert secret not in text
