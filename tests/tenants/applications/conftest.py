"""An MPP with one booth, an operator and a supervisor assigned to it, and an offering that
accepts online applications (KTP-el and KK required, a confirmation, two extra fields).
Everything is made with the regional administration's own services, inside region A's schema."""

from types import SimpleNamespace

import pytest

from tests.shared.citizens import conftest as _citizens
from tests.shared.citizens.conftest import NIK_BUDI, NIK_SITI, pdf_bytes, upload

# Fixtures shared with the citizens' tests.
doc_types = _citizens.doc_types
make_citizen = _citizens.make_citizen

__all__ = ["NIK_BUDI", "NIK_SITI", "doc_types", "make_citizen", "pdf_bytes"]


@pytest.fixture
def eager_tasks():
    """Celery runs a task where it is sent, as a worker would after commit: the citizen's
    notice of a status change is a region task, enqueued when the change commits."""
    from mpp_platform.celery import app

    old = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = old


def build_mpp(*, doc_types, make_user, region, suffix="", extra_fields=True):
    from shared.accounts.models import Membership, Role
    from tenants.applications.services import form_fields_save
    from tenants.mpp.services.booths import booth_create, local_agency_create
    from tenants.mpp.services.offerings import local_service_create
    from tenants.mpp.services.staff import staff_invite

    admin = make_user(role=Role.DPMPTSP_ADMIN, region=region)
    agency = local_agency_create(actor=admin, name=f"Dinas Kependudukan {suffix}".strip())
    booth = booth_create(
        actor=admin, number=f"G1{suffix}", local_agency=agency, name="Gerai Dukcapil"
    )
    other_booth = booth_create(
        actor=admin, number=f"G2{suffix}", local_agency=agency, name="Gerai Perizinan"
    )
    offering = local_service_create(
        actor=admin,
        name=f"Surat Keterangan Domisili {suffix}".strip(),
        product="Surat keterangan",
        complaint_handling="SP4N-LAPOR!",
        completion_days=3,
        steps=["Ajukan", "Verifikasi", "Ambil hasil"],
        requirements=[
            {"document_type": doc_types["ktp"], "text": ""},
            {"document_type": doc_types["kk"], "text": ""},
            {"text": "Surat pengantar RT/RW"},
        ],
        booth=booth,
        channels=["online", "walk_in"],
    )
    walk_in_only = local_service_create(
        actor=admin,
        name=f"Legalisir {suffix}".strip(),
        product="Legalisir",
        complaint_handling="SP4N-LAPOR!",
        completion_days=1,
        steps=["Datang"],
        booth=other_booth,
        channels=["walk_in"],
    )
    if extra_fields:
        form_fields_save(
            actor=admin,
            offering=offering,
            fields=[
                {
                    "label": "Keperluan",
                    "kind": "choice",
                    "choices": ["Sekolah", "Kerja"],
                    "is_required": True,
                },
                {"label": "Jumlah salinan", "kind": "number"},
            ],
        )
    operator = staff_invite(
        actor=admin,
        email=f"op{suffix}-{region.region.slug}@mpp.test",
        role=Role.OPERATOR,
        full_name="Ova Operator",
        booths=[booth],
    ).user
    supervisor = staff_invite(
        actor=admin,
        email=f"spv{suffix}-{region.region.slug}@mpp.test",
        role=Role.SUPERVISOR,
        full_name="Sari Supervisor",
        booths=[booth],
    ).user
    other_operator = staff_invite(
        actor=admin,
        email=f"op2{suffix}-{region.region.slug}@mpp.test",
        role=Role.OPERATOR,
        full_name="Oki Operator",
        booths=[other_booth],
    ).user
    for user in (operator, supervisor, other_operator):
        user.set_password("rahasia-123")
        user.save()
    assert Membership.objects.filter(user=operator).exists()
    return SimpleNamespace(
        text_key=key_of_text_requirement(offering),
        admin=admin,
        booth=booth,
        other_booth=other_booth,
        offering=offering,
        walk_in_only=walk_in_only,
        operator=operator,
        supervisor=supervisor,
        other_operator=other_operator,
        mpp=region,
    )


@pytest.fixture
def mpp_a(region_a, in_region, doc_types, make_user, django_capture_on_commit_callbacks):
    with in_region(region_a), django_capture_on_commit_callbacks(execute=False):
        return build_mpp(doc_types=doc_types, make_user=make_user, region=region_a)


@pytest.fixture
def mpp_b(region_b, in_region, doc_types, make_user, django_capture_on_commit_callbacks):
    with in_region(region_b), django_capture_on_commit_callbacks(execute=False):
        return build_mpp(doc_types=doc_types, make_user=make_user, region=region_b, suffix="B")


@pytest.fixture
def citizen(make_citizen, doc_types):
    """A citizen with a complete profile and KTP-el and KK in the vault."""
    from shared.citizens.services import document_upload

    user, profile = make_citizen()
    ktp = document_upload(
        actor=user,
        profile=profile,
        document_type=doc_types["ktp"],
        upload=upload("ktp.pdf", pdf_bytes("ktp")),
    )
    kk = document_upload(
        actor=user,
        profile=profile,
        document_type=doc_types["kk"],
        upload=upload("kk.pdf", pdf_bytes("kk")),
    )
    return SimpleNamespace(user=user, profile=profile, ktp=ktp, kk=kk)


@pytest.fixture
def submitted(mpp_a, citizen, in_region):
    """A submitted application of ``citizen`` in region A."""
    from tenants.applications import services

    with in_region(mpp_a.mpp):
        application, errors = services.application_draft_save(
            actor=citizen.user,
            citizen=citizen.profile,
            offering=mpp_a.offering,
            answers={"keperluan": "Sekolah"},
            choices={
                f"doc-{citizen.ktp.document_type_id}": citizen.ktp.pk,
                f"doc-{citizen.kk.document_type_id}": citizen.kk.pk,
            },
            confirmations={mpp_a.text_key},
        )
        assert not errors
        return services.application_submit(actor=citizen.user, application=application)


def key_of_text_requirement(offering):
    from tenants.applications.common import requirement_slots
    from tenants.mpp.selectors import offering_effective_standard

    return next(
        s.key
        for s in requirement_slots(offering_effective_standard(offering))
        if not s.document_type_id
    )
