"""The demo complaints of ``make run``: Banyuwangi's complaint officer has a real queue."""

from tests.conftest import host_of


def test_demo_complaints_give_the_officer_a_real_queue(
    region_a, in_region, make_user, client_a, settings
):
    from shared.accounts.models import Membership, Role
    from shared.complaints.models import ComplaintIndex
    from tenants.complaints.demo import demo_summary, officer_email, seed_demo_complaints
    from tenants.complaints.models import Complaint
    from tenants.mpp.seeding import seed_offerings
    from tenants.queue.demo import queue_demo_seed

    citizen = make_user(email="warga.demo@example.id")
    with in_region(region_a):
        seed_offerings()
        queue_demo_seed()
    sign_ins = seed_demo_complaints(mpp=region_a, citizen=citizen)
    assert sign_ins == [("pengelola pengaduan", officer_email("banyuwangi"), "banyuwangi")]
    summary = demo_summary(region_a)
    assert summary["received"] >= 3
    assert summary["in_progress"] >= 2
    assert summary["closed"] >= 2
    assert summary["not_complaint"] == 1
    assert summary["forwarded"] == 1
    seed_demo_complaints(mpp=region_a, citizen=citizen)  # idempotent
    assert demo_summary(region_a) == summary
    officer = Membership.objects.get(
        user__email=officer_email("banyuwangi"), region=region_a.region
    )
    assert officer.role == Role.COMPLAINT_OFFICER
    assert officer.user.check_password(settings.MPP_DEMO_PASSWORD)
    with in_region(region_a):
        # Anonymous and confidential demo complaints exist, so identity hiding can be seen.
        assert Complaint.objects.filter(privacy="anonymous").exists()
        assert Complaint.objects.filter(privacy="confidential").exists()
    client_a.force_login(officer.user)
    queue = client_a.get("/petugas/pengaduan/").content.decode()
    assert "Lewat batas" in queue  # the demo has overdue work
    assert queue.count('class="worklist-row') >= 5
    assert ComplaintIndex.objects.filter(owner=citizen, region=region_a.region).count() >= 5
    assert host_of(region_a).startswith("banyuwangi.")
