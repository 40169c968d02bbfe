"""``tenants.complaints.figures``: the daily figures of the national contract, kept per day in
the region's schema, and the transparency aggregates of the last 12 months."""

import datetime as dt

from tenants.complaints.figures import KEYS


def test_daily_figures_follow_the_local_calendar_day(
    clock, mpp_a, officer_a, complainant, file_complaint, in_region
):
    from tenants.complaints.figures import daily_figures, daily_figures_store
    from tenants.complaints.models import DailyFigure
    from tenants.complaints.services import (
        complaint_close,
        complaint_forward_to_lapor,
        complaint_mark_not_complaint,
        complaint_rate,
        complaint_route,
    )

    clock.set(2026, 3, 2, 9)  # Monday
    late = file_complaint(mpp_a.mpp, owner=complainant.user)  # never answered: overdue from 6th
    quick = file_complaint(mpp_a.mpp, owner=complainant.user, kind="informasi")
    routed = file_complaint(mpp_a.mpp, owner=complainant.user)
    outside = file_complaint(mpp_a.mpp, owner=complainant.user)
    noise = file_complaint(mpp_a.mpp, owner=complainant.user, kind="aspirasi")
    with in_region(mpp_a.mpp):
        assert set(daily_figures(dt.date(2026, 3, 2))) == set(KEYS)
        day = daily_figures(dt.date(2026, 3, 2))
        assert day["complaints_received"] == 5
        assert day["complaints_overdue"] == 0
        clock.set(2026, 3, 3, 23, 30)  # late evening, still the 3rd in Banyuwangi (WIB)
        complaint_close(actor=officer_a, complaint=quick, answer="Syaratnya KTP.")
        complaint_rate(actor=complainant.user, complaint=quick, rating=4)
        complaint_forward_to_lapor(actor=officer_a, complaint=outside)
        complaint_mark_not_complaint(actor=officer_a, complaint=noise, reason="Ucapan terima kasih")
        complaint_route(actor=officer_a, complaint=routed, booth=mpp_a.booth, complexity="simple")
        clock.set(2026, 3, 20, 10)  # Idulfitri leave; routed due 10 March (5 working days)
        complaint_close(actor=mpp_a.operator, complaint=routed, answer="Sudah ditangani.")
        third = daily_figures(dt.date(2026, 3, 3))
        assert third == {
            "complaints_received": 0,
            "complaints_closed": 2,  # answered + not a complaint
            "complaints_closed_on_time": 2,
            "complaints_overdue": 0,
            "complaints_forwarded": 1,
            "complaints_rating_sum": 4,
            "complaints_rating_count": 1,
        }
        assert daily_figures(dt.date(2026, 3, 4))["complaints_closed"] == 0
        # The 9th: "late" is past its first-response date (5th); "routed" not yet (due 10th).
        assert daily_figures(dt.date(2026, 3, 9))["complaints_overdue"] == 1
        # The 12th: both are past due and still open at the end of the day.
        assert daily_figures(dt.date(2026, 3, 12))["complaints_overdue"] == 2
        twentieth = daily_figures(dt.date(2026, 3, 20))
        assert twentieth["complaints_closed"] == 1
        assert twentieth["complaints_closed_on_time"] == 0
        assert twentieth["complaints_overdue"] == 1  # "late" only: "routed" closed that day
        stored = daily_figures_store(day=dt.date(2026, 3, 3))
        assert stored.complaints_forwarded == 1
        daily_figures_store(day=dt.date(2026, 3, 3))  # recomputing replaces, never duplicates
        assert DailyFigure.objects.filter(date=dt.date(2026, 3, 3)).count() == 1
    assert late.pk


def test_transparency_counts_the_last_twelve_months(
    clock, mpp_a, officer_a, complainant, file_complaint, in_region
):
    from tenants.complaints.figures import transparency
    from tenants.complaints.services import complaint_close, complaint_rate

    clock.set(2025, 2, 27)  # 13 months before: outside the window
    file_complaint(mpp_a.mpp, owner=complainant.user)
    clock.set(2026, 3, 2)
    kept = file_complaint(mpp_a.mpp, owner=complainant.user, kind="informasi")
    file_complaint(mpp_a.mpp, owner=complainant.user, kind="aspirasi")
    with in_region(mpp_a.mpp):
        clock.set(2026, 3, 5)  # the last day for a first response: on time
        complaint_close(actor=officer_a, complaint=kept, answer="Jawaban.")
        complaint_rate(actor=complainant.user, complaint=kept, rating=5)
        t = transparency(dt.date(2026, 3, 31))
    assert t["since"] == dt.date(2025, 4, 1)
    assert t["total"] == 2
    assert t["ended"] == 1
    assert t["on_time_share"] == 100.0
    assert t["median_days_to_close"] == 3.0
    assert t["rating_mean"] == 5.0
    info = next(k for k in t["by_kind"] if k["kind"] == "informasi")
    assert {s["status"]: s["count"] for s in info["statuses"]}["closed"] == 1
