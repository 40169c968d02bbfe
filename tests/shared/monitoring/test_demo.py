"""The demo of `make run`: months of history rolled up, and an open evaluation period with the
demo regions in different states; running it twice changes nothing."""

from __future__ import annotations


def test_demo_seed_builds_history_rollups_and_an_evaluation(
    region_a,
    region_b,
    offering_a,
    offering_b,
    make_user,
    superadmin,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from shared.accounts.models import Role
    from shared.monitoring.models import EvaluationPeriod, RegionDay
    from tenants.reporting import demo

    monkeypatch.setattr(demo, "HISTORY_DAYS", 20)  # a shorter history: same code path
    make_user(role=Role.DPMPTSP_ADMIN, region=region_a)
    make_user(role=Role.DPMPTSP_ADMIN, region=region_b)
    citizen = make_user()
    with django_capture_on_commit_callbacks(execute=False):
        demo.seed_demo_monitoring(superadmin=superadmin, citizen_user=citizen)
    rows = RegionDay.objects.filter(region__in=[region_a.region, region_b.region])
    assert rows.filter(region=region_a.region).count() == 21
    assert sum(r.applications_received or 0 for r in rows) > 0
    assert sum(r.tickets_served or 0 for r in rows) > 0
    period = EvaluationPeriod.objects.get(name=demo.DEMO_PERIOD)
    states = dict(period.evaluations.values_list("region__code", "status"))
    assert states["35.10"] == "accepted"
    assert states["35.74"] == "submitted"
    assert period.status == "open"
    # The superadmin's dashboard over the demo history: a trend and a flag to look at.
    from shared.monitoring import selectors

    data = selectors.dashboard_data(selectors.parse_period({}))
    rows = {r.code: r for r in data["regions"]}
    assert "inactive" in rows["35.74"].flags  # its profile goes quiet for the last 16 days
    assert "inactive" not in rows["35.10"].flags
    assert data["flag_counts"]["inactive"] >= 1
    received = [p["received"] for p in data["series"]["points"] if p["received"]]
    assert len(received) >= 10  # a day-by-day series, not one point
    before = (RegionDay.objects.count(), EvaluationPeriod.objects.count())
    with django_capture_on_commit_callbacks(execute=False):
        demo.seed_demo_monitoring(superadmin=superadmin, citizen_user=citizen)
    assert (RegionDay.objects.count(), EvaluationPeriod.objects.count()) == before
