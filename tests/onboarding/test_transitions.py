"""Every transition of the onboarding flow, its guards, and its audit entry."""

import datetime as dt
from decimal import Decimal

import pytest

from kernel.errors import ConflictError, DomainError
from onboarding import services
from onboarding.models import ReadinessIndicator, Stage
from onboarding.services import TRANSITIONS
from shared.audit.models import AuditEntry
from shared.regions.models import Mpp, Region

from .conftest import fill_readiness


def _last_audit(action):
    return AuditEntry.objects.filter(action=action).order_by("-id").first()


def test_commitment_starts_the_onboarding(superadmin, pdf_file):
    region = Region.objects.get(code="21.01")
    onboarding = services.onboarding_commit(
        actor=superadmin,
        region=region,
        signer_name="Roby Kurniawan",
        signer_title="Bupati Bintan",
        signed_on=dt.date(2024, 3, 7),
        occasion="Penandatanganan komitmen MPP Digital",
        document=pdf_file(),
    )
    assert onboarding.stage == Stage.COMMITTED
    assert onboarding.documents.get().sha256
    entry = _last_audit("onboarding.region.committed")
    assert entry.actor == superadmin
    assert entry.region_code == "21.01"
    assert entry.created_at is not None


def test_a_region_cannot_commit_twice_or_when_it_already_has_an_mpp(superadmin, make_onboarding):
    make_onboarding("21.01")
    kwargs = {
        "actor": superadmin,
        "signer_name": "A",
        "signer_title": "B",
        "signed_on": dt.date(2024, 3, 7),
    }
    with pytest.raises(ConflictError):
        services.onboarding_commit(region=Region.objects.get(code="21.01"), **kwargs)
    # Banyuwangi is live in the test session.
    with pytest.raises(ConflictError):
        services.onboarding_commit(region=Region.objects.get(code="35.10"), **kwargs)
    with pytest.raises(DomainError):
        services.onboarding_commit(
            region=Region.objects.get(code="21.02"),
            **{**kwargs, "signed_on": dt.date.today() + dt.timedelta(days=1)},
        )


def _do(action, onboarding, actor):
    data = {
        "assess": {},
        "reject": {"reason": "Data SDM kesehatan belum lengkap."},
        "reopen": {"reason": "Data sudah dilengkapi."},
        "designate": {"decree_number": "457/2024", "decree_date": dt.date(2024, 6, 3)},
        "provision": {"admin_email": "admin@bintankab.go.id"},
        "suspend": {"reason": "Evaluasi tahunan tidak dilaporkan."},
        "reinstate": {"reason": "Laporan sudah masuk."},
        "offboard": {"confirmation": "bintan", "reason": "Daerah mengundurkan diri."},
    }[action]
    from onboarding.views import run_action

    return run_action(action=action, actor=actor, onboarding=onboarding, data=data)


ALL_STAGES = [s for s in Stage.values if s != Stage.OFFBOARDED]
# Starting provisioning again while it runs (or once live) is a harmless no-op, not an error.
IDEMPOTENT = {("provision", Stage.PROVISIONING), ("provision", Stage.LIVE)}
REFUSED = [
    (action, stage)
    for action, (sources, _target) in TRANSITIONS.items()
    for stage in ALL_STAGES
    if stage not in sources and (action, stage) not in IDEMPOTENT
]


@pytest.mark.parametrize(("action", "stage"), REFUSED)
def test_actions_are_refused_outside_their_stages(action, stage, make_onboarding, superadmin):
    onboarding = make_onboarding(stage=stage, admin_email="admin@bintankab.go.id")
    entries = AuditEntry.objects.count()
    with pytest.raises(ConflictError):
        _do(action, onboarding, superadmin)
    onboarding.refresh_from_db()
    assert onboarding.stage == stage
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize(("action", "stage"), sorted(IDEMPOTENT))
def test_starting_provisioning_again_changes_nothing(action, stage, make_onboarding, superadmin):
    onboarding = make_onboarding(stage=stage, admin_email="admin@bintankab.go.id")
    entries = AuditEntry.objects.count()
    _do(action, onboarding, superadmin)
    onboarding.refresh_from_db()
    assert onboarding.stage == stage
    assert AuditEntry.objects.count() == entries


def test_readiness_is_computed_against_thresholds_and_keeps_the_threshold(
    make_onboarding, superadmin
):
    onboarding = make_onboarding()
    values = {
        v.indicator.code: v
        for v in fill_readiness(
            onboarding, superadmin, **{"health-workforce-data": "59.99", "physical-mpp": False}
        )
    }
    assert values["health-workforce-data"].passed is False
    assert values["health-workforce-data"].threshold == Decimal("60.00")
    assert values["digital-id-activation"].passed is True  # 5.1 ≥ 4.4
    assert values["physical-mpp"].passed is False
    assert values["dpmptsp-operator"].passed is True
    assert values["internet-connectivity"].passed is True

    indicator = ReadinessIndicator.objects.get(code="health-workforce-data")
    services.indicator_update(actor=superadmin, indicator=indicator, threshold=Decimal("50"))
    kept = onboarding.readiness_values.get(indicator=indicator)
    assert kept.threshold == Decimal("60.00")  # judged against the threshold of its day
    assert kept.passed is False


def test_digital_id_threshold_is_inclusive(make_onboarding, superadmin):
    onboarding = make_onboarding()
    values = {
        v.indicator.code: v
        for v in fill_readiness(onboarding, superadmin, **{"digital-id-activation": "4.4"})
    }
    assert values["digital-id-activation"].passed is True


@pytest.mark.parametrize(
    "bad", [{"health-workforce-data": "banyak"}, {"health-workforce-data": "120"}]
)
def test_readiness_refuses_nonsense_values(make_onboarding, superadmin, bad):
    with pytest.raises(DomainError):
        fill_readiness(make_onboarding(), superadmin, **bad)


def test_assess_needs_the_signed_document_and_every_indicator_passing(
    make_onboarding, superadmin, pdf_file
):
    onboarding = make_onboarding()
    with pytest.raises(DomainError) as exc:
        services.onboarding_assess(actor=superadmin, onboarding=onboarding)
    gaps = exc.value.extra["gaps"]
    assert any("Dokumen komitmen" in g for g in gaps)
    assert sum("belum dinilai" in g for g in gaps) == 5

    services.document_attach(
        actor=superadmin, onboarding=onboarding, kind="commitment", uploaded=pdf_file()
    )
    fill_readiness(onboarding, superadmin, **{"internet-connectivity": False})
    with pytest.raises(DomainError) as exc:
        services.onboarding_assess(actor=superadmin, onboarding=onboarding)
    assert exc.value.extra["gaps"] == ["Konektivitas internet memadai belum memenuhi ambang."]

    fill_readiness(onboarding, superadmin)
    services.onboarding_assess(actor=superadmin, onboarding=onboarding)
    onboarding.refresh_from_db()
    assert onboarding.stage == Stage.ASSESSED
    assert _last_audit("onboarding.region.assessed").data == {"from": "committed", "to": "assessed"}
    with pytest.raises(ConflictError):  # readiness is locked once assessed
        fill_readiness(onboarding, superadmin)


def test_reject_and_suspend_need_a_reason(make_onboarding, superadmin):
    onboarding = make_onboarding(stage=Stage.ASSESSED)
    for reason in ("", "   ", "ok"):
        with pytest.raises(DomainError):
            services.onboarding_reject(actor=superadmin, onboarding=onboarding, reason=reason)
    services.onboarding_reject(
        actor=superadmin, onboarding=onboarding, reason="Data SDM belum valid."
    )
    onboarding.refresh_from_db()
    assert onboarding.stage == Stage.REJECTED
    assert onboarding.status_reason == "Data SDM belum valid."
    entry = _last_audit("onboarding.region.rejected")
    assert entry.data["reason"] == "Data SDM belum valid."
    assert entry.actor == superadmin

    services.onboarding_reopen(actor=superadmin, onboarding=onboarding)
    onboarding.refresh_from_db()
    assert onboarding.stage == Stage.COMMITTED


def test_designation_needs_a_decree_in_the_past_after_the_commitment(make_onboarding, superadmin):
    onboarding = make_onboarding(stage=Stage.ASSESSED)
    for number, date in [
        ("", dt.date(2024, 6, 3)),
        ("457/2024", None),
        ("457/2024", dt.date.today() + dt.timedelta(days=1)),
        ("457/2024", dt.date(2024, 3, 6)),  # before the commitment of 7 March
    ]:
        with pytest.raises(DomainError):
            services.onboarding_designate(
                actor=superadmin, onboarding=onboarding, decree_number=number, decree_date=date
            )
    with pytest.raises(DomainError):
        services.onboarding_designate(
            actor=superadmin,
            onboarding=onboarding,
            decree_number="457/2024",
            decree_date=dt.date(2024, 6, 3),
            admin_email="bukan-email",
        )
    services.onboarding_designate(
        actor=superadmin,
        onboarding=onboarding,
        decree_number="457/2024",
        decree_date=dt.date(2024, 6, 3),
        admin_email="Admin@BintanKab.go.id",
    )
    onboarding.refresh_from_db()
    assert onboarding.stage == Stage.DESIGNATED
    assert onboarding.admin_email == "admin@bintankab.go.id"
    assert _last_audit("onboarding.region.designated").data["decree_number"] == "457/2024"


def test_provisioning_needs_the_admin_email(
    make_onboarding, superadmin, django_capture_on_commit_callbacks
):
    onboarding = make_onboarding(stage=Stage.DESIGNATED)
    with pytest.raises(DomainError):
        services.provisioning_start(actor=superadmin, onboarding=onboarding)
    with django_capture_on_commit_callbacks() as callbacks:
        services.provisioning_start(
            actor=superadmin, onboarding=onboarding, admin_email="admin@bintankab.go.id"
        )
    onboarding.refresh_from_db()
    assert onboarding.stage == Stage.PROVISIONING
    assert len(callbacks) == 1  # the pipeline is enqueued once the transaction commits
    assert onboarding.steps.count() == 6


def test_live_suspended_reinstated(make_onboarding, superadmin):
    mpp = services.mpp_provision(region=make_onboarding(stage=Stage.DESIGNATED).region)
    onboarding = mpp.region.onboardings.get()
    with pytest.raises(DomainError):
        services.onboarding_suspend(actor=superadmin, onboarding=onboarding, reason="")
    services.onboarding_suspend(
        actor=superadmin,
        onboarding=onboarding,
        reason="Tidak melapor dua tahun.",
        public_notice="Layanan daring dihentikan sementara.",
    )
    mpp.refresh_from_db()
    assert mpp.status == Mpp.Status.SUSPENDED
    assert mpp.public_notice == "Layanan daring dihentikan sementara."
    assert _last_audit("onboarding.region.suspended").data["reason"] == "Tidak melapor dua tahun."
    services.onboarding_reinstate(actor=superadmin, onboarding=onboarding)
    mpp.refresh_from_db()
    assert mpp.status == Mpp.Status.LIVE
    assert mpp.public_notice == ""
    onboarding.refresh_from_db()
    assert onboarding.stage == Stage.LIVE


def test_offboarding_needs_the_typed_confirmation(make_onboarding, superadmin):
    mpp = services.mpp_provision(region=make_onboarding(stage=Stage.DESIGNATED).region)
    onboarding = mpp.region.onboardings.get()
    for wrong in ("", "Bintang", "kab bintan", "21.01"):
        with pytest.raises(DomainError):
            services.onboarding_offboard(
                actor=superadmin, onboarding=onboarding, confirmation=wrong, reason="Mundur."
            )
    assert services.confirmation_matches(onboarding, "  kabupaten  BINTAN ")
    assert services.confirmation_matches(onboarding, "bintan")


def test_every_transition_of_the_happy_path_is_audited(make_onboarding, superadmin, pdf_file):
    onboarding = services.onboarding_commit(
        actor=superadmin,
        region=Region.objects.get(code="21.01"),
        signer_name="Roby Kurniawan",
        signer_title="Bupati Bintan",
        signed_on=dt.date(2024, 3, 7),
        document=pdf_file(),
    )
    fill_readiness(onboarding, superadmin)
    services.onboarding_assess(actor=superadmin, onboarding=onboarding)
    services.onboarding_designate(
        actor=superadmin,
        onboarding=onboarding,
        decree_number="457/2024",
        decree_date=dt.date(2024, 6, 3),
        admin_email="admin@bintankab.go.id",
    )
    services.provisioning_start(actor=superadmin, onboarding=onboarding)
    from onboarding.provisioning.pipeline import pipeline_run

    assert pipeline_run(onboarding_id=onboarding.pk, actor=superadmin) == "done"
    actions = list(
        AuditEntry.objects.filter(region_code="21.01")
        .order_by("id")
        .values_list("action", "actor_id")
    )
    assert [a for a, _ in actions] == [
        "onboarding.region.committed",
        "onboarding.document.uploaded",
        "onboarding.readiness.recorded",
        "onboarding.region.assessed",
        "onboarding.region.designated",
        "onboarding.region.provisioning_started",
        "accounts.membership.granted",  # the DPMPTSP admin, by the provisioning pipeline
        "onboarding.region.live",
    ]
    assert {actor for _, actor in actions} == {superadmin.pk}
