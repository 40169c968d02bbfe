"""One of everything in a region, made through the real services, every row carrying the region's
marker (a word nothing else contains) so that a response leaking it is caught.

Booth layout: the application offering sits in booth S and the queue offering in booth Q; the
world's ``operator`` works in S and Q, ``other_operator`` only in booth O (so booth-scoped objects
are invisible to them).
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from types import SimpleNamespace

from django.db import connection
from django.utils import timezone

from shared.accounts.models import Membership, Role, User
from shared.accounts.services import membership_grant
from shared.catalogue.models import DocumentType
from shared.citizens.models import CitizenProfile
from tenants.survey.models import FollowUpAction, Invitation, SourceKind
from tests.shared.citizens.conftest import NIK_SITI, pdf_bytes, upload

PASSWORD = "rahasia-123"


@contextmanager
def in_schema(mpp):
    connection.set_tenant(mpp)
    try:
        yield mpp
    finally:
        connection.set_schema_to_public()


def document_types() -> dict[str, DocumentType]:
    ktp, _ = DocumentType.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})
    kk, _ = DocumentType.objects.get_or_create(code="kk", defaults={"name": "Kartu Keluarga"})
    return {"ktp": ktp, "kk": kk}


def _nik(serial: int) -> str:
    # NIK_SITI's district and birth date, with a serial of our own: valid and unique.
    return NIK_SITI[:12] + f"{serial:04d}"


def _second_factor(user: User) -> None:
    """Officials are enrolled in the second factor, as every real one is (issue 12)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import enrol_second_factor

    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        enrol_second_factor(user)


def make_person(email: str, full_name: str) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, full_name=full_name)


def make_citizen(email: str, full_name: str, serial: int) -> tuple[User, CitizenProfile]:
    from lokal import parse_nik

    user = make_person(email, full_name)
    nik = _nik(serial)
    info = parse_nik(nik)
    profile = CitizenProfile.objects.create(
        user=user,
        full_name=full_name,
        nik=nik,
        birth_date=dt.date.fromisoformat(info.birth_date),
        gender=info.gender,
        birth_place="Banyuwangi",
        address_line="Jl. Ahmad Yani 1, RT 01/RW 02",
        regency_code=info.regency_code,
        province_code=info.province_code,
        district_code=info.district_code,
        phone=f"+62812{serial:08d}",
    )
    return user, profile


def build_world(mpp, *, marker: str, serial: int) -> SimpleNamespace:
    """Everything a route can point at, in ``mpp``; ``serial`` keeps NIKs and e-mails unique."""
    from shared.citizens.services import citizen_register_at_counter, document_upload
    from tenants.applications import services as applications
    from tenants.applications.services.assisted import counter_desk
    from tenants.mpp.models import Announcement, StaffAssignment
    from tenants.mpp.services.booths import booth_create, closure_create, local_agency_create
    from tenants.mpp.services.offerings import local_service_create
    from tenants.queue.services.bookings import booking_create
    from tenants.queue.services.kiosk import kiosk_device_create
    from tests.shared.citizens.conftest import walk_in as walk_in_data
    from tests.tenants.queue.factories import (
        EVERY_DAY_ALL_DAY,
        open_day,
        queue_offering,
        walk_in_today,
    )

    region = mpp.region
    slug = region.slug
    superadmin = User.objects.filter(is_superuser=True, email="isolation-super@test.example")
    actor = superadmin.first() or User.objects.create_superuser(
        email="isolation-super@test.example", password=PASSWORD, full_name="Superadmin Uji"
    )
    _second_factor(actor)
    staff = {}
    for role, key in (
        (Role.DPMPTSP_ADMIN, "admin"),
        (Role.SUPERVISOR, "supervisor"),
        (Role.OPERATOR, "operator"),
        (Role.OPERATOR, "other_operator"),
    ):
        user = make_person(f"{key}-{slug}-{serial}@test.example", f"{key.title()} {slug}")
        membership_grant(actor=actor, user=user, region=region, role=role)
        if role == Role.DPMPTSP_ADMIN:
            _second_factor(user)
        staff[key] = user
    types = document_types()
    owner, profile = make_citizen(f"warga-{slug}-{serial}@test.example", f"Warga {marker}", serial)
    ktp = document_upload(
        actor=owner,
        profile=profile,
        document_type=types["ktp"],
        upload=upload("k.pdf", pdf_bytes()),
    )
    kk = document_upload(
        actor=owner, profile=profile, document_type=types["kk"], upload=upload("c.pdf", pdf_bytes())
    )
    with in_schema(mpp):
        admin = staff["admin"]
        agency = local_agency_create(actor=admin, name=f"Dinas {marker}")
        booth_s = booth_create(
            actor=admin, number=f"S{serial}", local_agency=agency, name=f"Gerai {marker}"
        )
        booth_o = booth_create(actor=admin, number=f"O{serial}", local_agency=agency, name="Gerai")
        offering = local_service_create(
            actor=admin,
            name=f"Layanan {marker}",
            product="Surat keterangan",
            complaint_handling="SP4N-LAPOR!",
            completion_days=3,
            steps=["Ajukan", "Ambil"],
            requirements=[
                {"document_type": types["ktp"], "text": ""},
                {"document_type": types["kk"], "text": ""},
            ],
            booth=booth_s,
            channels=["online", "walk_in"],
        )
        applications.form_fields_save(
            actor=admin, offering=offering, fields=[{"label": f"Isian {marker}", "kind": "text"}]
        )
        queue = queue_offering(prefix="Q", hours=EVERY_DAY_ALL_DAY, name=f"Antrean {marker}")
        counter = queue.test_counters[0]
        counter.name = f"Loket {marker}"
        counter.save(update_fields=["name"])
        for booth in (booth_s, queue.booth):
            StaffAssignment.objects.create(user_id=staff["operator"].pk, booth_id=booth.pk)
        StaffAssignment.objects.create(user_id=staff["other_operator"].pk, booth_id=booth_o.pk)
        draft, _errors = applications.application_draft_save(
            actor=owner,
            citizen=profile,
            offering=offering,
            answers={},
            choices={f"doc-{types['ktp'].pk}": ktp.pk, f"doc-{types['kk'].pk}": kk.pk},
        )
        application = applications.application_submit(actor=owner, application=draft)
        applications.application_verify(actor=staff["operator"], application=application)
        applications.application_process(actor=staff["operator"], application=application)
        application = applications.application_complete(
            actor=staff["operator"],
            application=application,
            result_kind="document",
            upload=upload("hasil.pdf", pdf_bytes(f"hasil {marker}")),
        )
        requirement = application.requirements.filter(document__isnull=False).first()
        result = application.files.get(purpose="result")
        day = open_day(queue)
        booking = booking_create(actor=owner, offering=queue, day=day, starts_at=dt.time(9, 0))
        ticket = walk_in_today(queue)
        kiosk, kiosk_token = kiosk_device_create(actor=admin, name=f"Kiosk {marker}")
        closure = closure_create(
            actor=admin,
            start_date=timezone.localdate() + dt.timedelta(days=200),
            end_date=None,
            reason=f"Rapat {marker}",
        )
        # The completed application's survey invitation (made by application_complete).
        survey_token = Invitation.objects.get(
            source_kind=SourceKind.APPLICATION, source_id=application.pk
        ).token
        follow_up = FollowUpAction.objects.create(period="2026", action=f"Tindak lanjut {marker}")
        announcement = Announcement.objects.create(
            title=f"Pengumuman {marker}", body=f"Isi {marker}"
        )
        from tenants.complaints.models import Channel as ComplaintChannel
        from tenants.complaints.services import Filing, complaint_file

        complaint = complaint_file(
            actor=owner,
            channel=ComplaintChannel.ONLINE,
            owner=owner,
            filing=Filing(
                kind="pengaduan",
                subject=f"Keluhan {marker}",
                description=f"Saya menunggu lama di loket {marker} tanpa penjelasan.",
                uploads=[upload(f"bukti-{marker}.pdf", pdf_bytes(marker))],
            ),
        )
        complaint_attachment = complaint.attachments.get()
        walk_in = citizen_register_at_counter(
            desk=counter_desk(staff["operator"], booth_id=booth_s.pk),
            data=walk_in_data(_nik(serial + 5000), full_name=f"Warga Loket {marker}"),
        )
    from shared.webhooks.services import subscriber_create

    webhook = subscriber_create(
        actor=admin, region=region, name=f"Webhook {marker}", url="http://127.0.0.1:9/hook"
    )
    return SimpleNamespace(
        webhook=webhook,
        complaint=complaint,
        complaint_attachment=complaint_attachment,
        mpp=mpp,
        region=region,
        marker=marker,
        host=f"{slug}.{_base_domain()}",
        superadmin=actor,
        **staff,
        owner=owner,
        profile=profile,
        document=ktp,
        booth=booth_s,
        other_booth=booth_o,
        offering=offering,
        queue_offering=queue,
        counter=counter,
        application=application,
        requirement=requirement,
        result=result,
        booking=booking,
        ticket=ticket,
        kiosk=kiosk,
        kiosk_token=kiosk_token,
        closure=closure,
        announcement=announcement,
        survey_token=survey_token,
        follow_up=follow_up,
        walk_in=walk_in,
        membership=Membership.objects.get(user=staff["operator"], region=region),
    )


def _base_domain() -> str:
    from django.conf import settings

    return settings.MPP_BASE_DOMAIN


def add_evaluation(worlds: list[SimpleNamespace], superadmin: User) -> None:
    """One national evaluation period, open, and in each world's region an answer with evidence
    (its file name carries the world's marker). The period is national; the evaluation and its
    evidence belong to the region."""
    from shared.monitoring.evaluation import services as evaluation
    from shared.monitoring.models import RegionEvaluation

    today = timezone.localdate()
    period = evaluation.period_create(
        actor=superadmin,
        name="Evaluasi isolasi",
        year=today.year,
        measure_start=today.replace(month=1, day=1),
        measure_end=today,
        deadline=today + dt.timedelta(days=30),
    )
    evaluation.period_open(actor=superadmin, period=period)
    for world in worlds:
        region_evaluation = RegionEvaluation.objects.get(period=period, region=world.region)
        answer = region_evaluation.answers.order_by("pk").first()
        world.period = period
        world.evaluation = region_evaluation
        world.evidence = evaluation.evidence_add(
            actor=world.admin,
            evaluation=region_evaluation,
            answer=answer,
            upload=upload(f"bukti-{world.marker}.pdf", pdf_bytes(world.marker)),
        )
