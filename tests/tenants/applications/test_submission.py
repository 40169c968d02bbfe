"""Drafting and submitting: prefill, drafts never lost, strict submit, numbering, idempotency,
working-day due dates, the public index and the notification."""

import datetime as dt

import pytest
from django.core import mail

from kernel.errors import ConflictError, DomainError
from shared.citizens.models import ApplicationIndex, ApplicationStatus, Document, OutboxMessage
from tenants.applications import services
from tenants.applications.models import Application, NumberSequence, StatusChange
from tests.shared.citizens.conftest import upload
from tests.tenants.applications.conftest import pdf_bytes


def _keys(citizen):
    return {
        "ktp": f"doc-{citizen.ktp.document_type_id}",
        "kk": f"doc-{citizen.kk.document_type_id}",
    }


def _full_draft(mpp, citizen, **overrides):
    keys = _keys(citizen)
    kwargs = {
        "actor": citizen.user,
        "citizen": citizen.profile,
        "offering": mpp.offering,
        "answers": {"keperluan": "Kerja", "jumlah-salinan": "2"},
        "choices": {keys["ktp"]: citizen.ktp.pk, keys["kk"]: citizen.kk.pk},
        "confirmations": {mpp.text_key},
    }
    kwargs.update(overrides)
    return services.application_draft_save(**kwargs)


def test_submit_numbers_snapshots_indexes_and_notifies(
    mpp_a, citizen, in_region, django_capture_on_commit_callbacks, eager_tasks
):
    with in_region(mpp_a.mpp), django_capture_on_commit_callbacks(execute=True):
        application, errors = _full_draft(mpp_a, citizen)
        assert errors == {}
        application = services.application_submit(actor=citizen.user, application=application)
    assert application.status == ApplicationStatus.SUBMITTED
    year = application.first_submitted_at.year
    assert application.number == f"3510-{year}-000001"
    assert application.applicant_view["nik"] == citizen.profile.nik
    assert citizen.profile.nik not in str(application.applicant)  # stored encrypted
    assert application.applicant["full_name"] == citizen.profile.full_name
    assert application.data == {"keperluan": "Kerja", "jumlah-salinan": "2"}
    assert application.booth == mpp_a.booth
    row = ApplicationIndex.objects.get(region=mpp_a.mpp.region, application_id=application.pk)
    assert row.status == ApplicationStatus.SUBMITTED
    assert row.number == application.number
    assert [step["status"] for step in row.timeline] == ["draft", "submitted"]
    assert mail.outbox
    assert application.number in mail.outbox[0].subject
    whatsapp = OutboxMessage.objects.get(channel="whatsapp", reference=application.number)
    assert whatsapp.recipient == "+6281234567890"
    assert citizen.profile.nik not in whatsapp.body


def test_numbers_are_sequential_per_region_and_year(mpp_a, mpp_b, citizen, in_region, make_citizen):
    numbers = []
    with in_region(mpp_a.mpp):
        for _ in range(3):
            application, _errors = _full_draft(mpp_a, citizen)
            numbers.append(
                services.application_submit(actor=citizen.user, application=application).number
            )
    year = numbers[0].split("-")[1]
    assert numbers == [f"3510-{year}-00000{n}" for n in (1, 2, 3)]
    with in_region(mpp_b.mpp):
        application, errors = _full_draft(mpp_b, citizen, offering=mpp_b.offering)
        assert not errors
        other = services.application_submit(actor=citizen.user, application=application)
    assert other.number == f"3574-{year}-000001"


def test_a_rolled_back_submission_gives_its_number_back(mpp_a, citizen, in_region):
    from django.db import transaction

    from tenants.applications.services.submission import _next_number

    with in_region(mpp_a.mpp):
        first = _next_number(2026)

        def fail():
            with transaction.atomic():
                _next_number(2026)
                raise RuntimeError

        with pytest.raises(RuntimeError):
            fail()
        assert _next_number(2026) == first.replace("000001", "000002")
        assert NumberSequence.objects.get(year=2026).last == 2


def test_double_submit_is_one_application(mpp_a, citizen, in_region):
    with in_region(mpp_a.mpp):
        application, _ = _full_draft(mpp_a, citizen)
        first = services.application_submit(actor=citizen.user, application=application)
        again = services.application_submit(actor=citizen.user, application=application)
        assert again.pk == first.pk
        assert again.number == first.number
        assert StatusChange.objects.filter(application=first).count() == 1
        assert NumberSequence.objects.get().last == 1


def test_the_same_form_posted_twice_creates_one_draft(mpp_a, citizen, in_region):
    import uuid

    key = uuid.uuid4()
    with in_region(mpp_a.mpp):
        one, _ = _full_draft(mpp_a, citizen, client_key=key)
        two, _ = _full_draft(mpp_a, citizen, client_key=key)
        assert one.pk == two.pk
        assert Application.objects.count() == 1


def test_someone_else_cannot_reuse_a_client_key(mpp_a, citizen, in_region, make_citizen):
    import uuid

    key = uuid.uuid4()
    _other_user, other = make_citizen(nik="3510011508850002")
    with in_region(mpp_a.mpp):
        _full_draft(mpp_a, citizen, client_key=key)
        with pytest.raises(ConflictError):
            services.application_draft_save(
                actor=_other_user, citizen=other, offering=mpp_a.offering, client_key=key
            )


def test_missing_requirements_and_fields_refuse_the_submit_but_keep_the_draft(
    mpp_a, citizen, in_region
):
    with in_region(mpp_a.mpp):
        application, errors = services.application_draft_save(
            actor=citizen.user,
            citizen=citizen.profile,
            offering=mpp_a.offering,
            answers={"jumlah-salinan": "dua"},
        )
        assert errors == {"field-jumlah-salinan": ["Isi dengan angka."]}
        with pytest.raises(DomainError) as exc:
            services.application_submit(actor=citizen.user, application=application)
        assert exc.value.code == "incomplete"
        problems = exc.value.extra["errors"]
        keys = _keys(citizen)
        assert {f"req-{keys['ktp']}", f"req-{keys['kk']}", "field-keperluan"} <= set(problems)
        assert f"req-{mpp_a.text_key}" in problems
        assert "field-jumlah-salinan" in problems
        application.refresh_from_db()
        assert application.status == ApplicationStatus.DRAFT
        assert application.number is None
        assert application.data["jumlah-salinan"] == "dua"  # what was typed is kept


def test_an_incomplete_profile_refuses_the_submit(mpp_a, make_citizen, in_region, doc_types):
    user, profile = make_citizen(complete=False)
    with in_region(mpp_a.mpp):
        application, _ = services.application_draft_save(
            actor=user, citizen=profile, offering=mpp_a.offering
        )
        with pytest.raises(DomainError) as exc:
            services.application_submit(actor=user, application=application)
    assert "Lengkapi profil" in exc.value.extra["errors"]["profile"][0]


def test_a_wrong_file_is_reported_and_the_rest_saved(mpp_a, citizen, in_region):
    keys = _keys(citizen)
    bad = upload("kk.pdf", b"bukan pdf" * 30)
    with in_region(mpp_a.mpp):
        application, errors = _full_draft(mpp_a, citizen, uploads={keys["kk"]: bad})
        assert application.requirements.get(key=keys["ktp"]).document_id == citizen.ktp.pk
    assert "Jenis berkas tidak didukung" in errors[f"req-{keys['kk']}"][0]
    assert application.data["keperluan"] == "Kerja"


def test_an_upload_for_a_requirement_joins_the_vault(mpp_a, citizen, in_region):
    keys = _keys(citizen)
    with in_region(mpp_a.mpp):
        application, errors = _full_draft(
            mpp_a, citizen, uploads={keys["kk"]: upload("kk-baru.pdf", pdf_bytes("baru"))}
        )
        new = Document.objects.get(original_name="kk-baru.pdf")
        assert application.requirements.get(key=keys["kk"]).document_id == new.pk
    assert not errors
    assert new.profile == citizen.profile
    assert new.source == Document.Source.APPLICATION


def test_a_document_of_another_citizen_cannot_be_chosen(mpp_a, citizen, in_region, make_citizen):
    from shared.citizens.services import document_upload

    other_user, other = make_citizen(nik="3510011508850002")
    theirs = document_upload(
        actor=other_user,
        profile=other,
        document_type=citizen.ktp.document_type,
        upload=upload("x.pdf", pdf_bytes()),
    )
    keys = _keys(citizen)
    with in_region(mpp_a.mpp):
        application, errors = _full_draft(mpp_a, citizen, choices={keys["ktp"]: theirs.pk})
        assert application.requirements.get(key=keys["ktp"]).document_id is None
    assert "tidak ada di brankas" in errors[f"req-{keys['ktp']}"][0]


def test_offerings_without_the_online_channel_refuse_online_applications(mpp_a, citizen, in_region):
    with in_region(mpp_a.mpp), pytest.raises(DomainError) as exc:
        services.application_draft_save(
            actor=citizen.user, citizen=citizen.profile, offering=mpp_a.walk_in_only
        )
    assert exc.value.code == "not_online"


def test_due_date_counts_region_working_days(mpp_a, citizen, in_region):
    from tenants.mpp.selectors import add_region_working_days, region_today
    from tenants.mpp.services.booths import closure_create

    with in_region(mpp_a.mpp):
        today = region_today()
        expected = add_region_working_days(today, 3)
        application, _ = _full_draft(mpp_a, citizen)
        application = services.application_submit(actor=citizen.user, application=application)
        assert application.due_date == expected
        assert expected.weekday() < 5
        # A local closure on the first working day pushes the next one a day later.
        first = add_region_working_days(today, 1)
        closure_create(actor=mpp_a.admin, start_date=first, end_date=first, reason="Kerja bakti")
        second, _ = _full_draft(mpp_a, citizen)
        second = services.application_submit(actor=citizen.user, application=second)
        assert second.due_date == add_region_working_days(today, 3)
        assert second.due_date > expected or (second.due_date - expected).days >= 1


def test_working_days_skip_national_holidays(mpp_a, in_region):
    from tenants.mpp.selectors import add_region_working_days

    with in_region(mpp_a.mpp):
        # Tuesday 15 Dec 2026 + 8 working days skips 24 (cuti bersama) and 25 Dec (Natal).
        assert add_region_working_days(dt.date(2026, 12, 15), 8) == dt.date(2026, 12, 29)
