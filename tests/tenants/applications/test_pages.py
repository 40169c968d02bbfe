"""The application pages: the citizen's form, draft, submit, receipt and public verification;
the staff worklist, detail and actions; the counter; the admin's form definition and outbox."""

import re
import uuid

from django.urls import reverse

from shared.citizens.formstash import form_owner_token
from shared.citizens.models import AccessAction, ApplicationStatus, DataAccessLog
from tenants.applications.models import Application, FormField
from tests.shared.citizens.conftest import pdf_bytes, upload


def _post(citizen, mpp, *, action="submit", **extra):
    data = {
        f"req-doc-{citizen.ktp.document_type_id}": str(citizen.ktp.pk),
        f"req-doc-{citizen.kk.document_type_id}": str(citizen.kk.pk),
        f"req-{mpp.text_key}-ok": "1",
        "field-keperluan": "Sekolah",
        "field-jumlah-salinan": "1",
        "client_key": str(uuid.uuid4()),
        "action": action,
    }
    data.update(extra)
    return data


def test_online_offerings_list_only_online_ones(client_a, mpp_a):
    page = client_a.get(reverse("applications:offerings")).content.decode()
    assert "Surat Keterangan Domisili" in page
    assert "Legalisir" not in page
    assert reverse("applications:start", args=[mpp_a.offering.pk]) in page


def test_form_is_prefilled_from_profile_and_vault(client_a, mpp_a, citizen, in_region):
    client_a.force_login(citizen.user)
    response = client_a.get(reverse("applications:start", args=[mpp_a.offering.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert citizen.profile.full_name in page
    assert "3510********0001" in page  # the NIK, masked on screen
    assert f'value="{citizen.ktp.pk}" checked' in page  # the vault's KTP-el preselected
    assert "Keperluan" in page
    with in_region(mpp_a.mpp):
        assert not Application.objects.exists()  # nothing stored before the citizen saves


def test_walk_in_only_offering_has_no_online_form(client_a, mpp_a, citizen):
    client_a.force_login(citizen.user)
    url = reverse("applications:start", args=[mpp_a.walk_in_only.pk])
    assert client_a.get(url).status_code == 404


def test_submit_from_the_page_shows_the_receipt_with_qr(client_a, mpp_a, citizen, in_region):
    client_a.force_login(citizen.user)
    response = client_a.post(
        reverse("applications:start", args=[mpp_a.offering.pk]), _post(citizen, mpp_a)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with in_region(mpp_a.mpp):
        application = Application.objects.get()
    assert response["Location"] == reverse("applications:receipt", args=[application.pk])
    receipt = client_a.get(response["Location"]).content.decode()
    assert application.number in receipt
    assert "<svg" in receipt
    assert f"/verifikasi/{application.public_token}/" in receipt


def test_double_post_of_the_same_form_is_one_application(client_a, mpp_a, citizen, in_region):
    client_a.force_login(citizen.user)
    data = _post(citizen, mpp_a)
    url = reverse("applications:start", args=[mpp_a.offering.pk])
    first = client_a.post(url, data)
    second = client_a.post(url, data)
    with in_region(mpp_a.mpp):
        application = Application.objects.get()
    assert first["Location"] == reverse("applications:receipt", args=[application.pk])
    assert second["Location"] == reverse("applications:detail", args=[application.pk])


def test_missing_requirement_keeps_the_draft_and_says_what(client_a, mpp_a, citizen, in_region):
    client_a.force_login(citizen.user)
    data = _post(citizen, mpp_a, **{f"req-doc-{citizen.kk.document_type_id}": ""})
    response = client_a.post(reverse("applications:start", args=[mpp_a.offering.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Pilih atau unggah dokumen untuk persyaratan ini." in page
    assert "sudah disimpan sebagai draf" in page
    with in_region(mpp_a.mpp):
        draft = Application.objects.get()
    assert draft.status == ApplicationStatus.DRAFT
    assert draft.data["keperluan"] == "Sekolah"


def test_wrong_file_type_is_explained_in_the_form(client_a, mpp_a, citizen):
    client_a.force_login(citizen.user)
    data = _post(
        citizen,
        mpp_a,
        **{f"req-doc-{citizen.kk.document_type_id}-file": upload("kk.pdf", b"teks" * 50)},
    )
    response = client_a.post(reverse("applications:start", args=[mpp_a.offering.pk]), data)
    assert response.status_code == 400
    assert "Jenis berkas tidak didukung" in response.content.decode()


def test_save_draft_and_come_back(client_a, mpp_a, citizen, in_region):
    client_a.force_login(citizen.user)
    url = reverse("applications:start", args=[mpp_a.offering.pk])
    response = client_a.post(url, _post(citizen, mpp_a, action="draft", **{"field-keperluan": ""}))
    with in_region(mpp_a.mpp):
        draft = Application.objects.get()
    assert response["Location"] == reverse("applications:edit", args=[draft.pk])
    # Coming back through "Ajukan permohonan" lands on the draft.
    assert client_a.get(url)["Location"] == reverse("applications:edit", args=[draft.pk])
    page = client_a.get(reverse("applications:edit", args=[draft.pk])).content.decode()
    assert f'value="{citizen.kk.pk}" checked' in page


def test_expired_session_mid_form_keeps_the_draft(client_a, mpp_a, citizen, in_region):
    url = reverse("applications:start", args=[mpp_a.offering.pk])
    data = _post(citizen, mpp_a, form_owner=form_owner_token(citizen.user))
    response = client_a.post(url, data)  # not signed in any more
    assert reverse("accounts:login") in response["Location"]
    client_a.post(
        reverse("accounts:login"), {"username": citizen.user.email, "password": "rahasia-123"}
    )
    back = client_a.get(url)
    with in_region(mpp_a.mpp):
        application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED  # the kept form went through
    assert back["Location"] == reverse("applications:receipt", args=[application.pk])


def test_public_verification_shows_status_and_nothing_personal(client_a, submitted, citizen):
    anonymous = client_a
    page = anonymous.get(reverse("applications:verify", args=[submitted.public_token]))
    text = page.content.decode()
    assert page.status_code == 200
    assert submitted.number in text
    assert "Diajukan" in text
    for personal in (citizen.profile.full_name, citizen.profile.nik, "3510********0001"):
        assert personal not in text
    assert anonymous.get(reverse("applications:verify", args=[uuid.uuid4()])).status_code == 404


def test_citizen_detail_shows_revision_and_result(client_a, submitted, mpp_a, citizen, in_region):
    from tenants.applications import services

    client_a.force_login(citizen.user)
    with in_region(mpp_a.mpp):
        services.application_return(actor=mpp_a.operator, application=submitted, reasons="KK lama")
    page = client_a.get(reverse("applications:detail", args=[submitted.pk])).content.decode()
    assert "KK lama" in page
    assert reverse("applications:edit", args=[submitted.pk]) in page


def test_worklist_overdue_first_with_bounded_queries(
    client_a, mpp_a, citizen, in_region, django_assert_max_num_queries
):
    import datetime as dt

    from tenants.applications import services

    with in_region(mpp_a.mpp):
        made = []
        for _n in range(6):
            draft, _ = services.application_draft_save(
                actor=citizen.user,
                citizen=citizen.profile,
                offering=mpp_a.offering,
                answers={"keperluan": "Kerja"},
                choices={
                    f"doc-{citizen.ktp.document_type_id}": citizen.ktp.pk,
                    f"doc-{citizen.kk.document_type_id}": citizen.kk.pk,
                },
                confirmations={mpp_a.text_key},
            )
            made.append(services.application_submit(actor=citizen.user, application=draft))
        Application.objects.filter(pk=made[-1].pk).update(due_date=dt.date(2026, 1, 2))
    client_a.force_login(mpp_a.operator)
    with django_assert_max_num_queries(12):
        response = client_a.get(reverse("applications:worklist"))
    rows = response.context["page"].object_list
    assert rows[0].pk == made[-1].pk
    assert "Terlambat" in response.content.decode()
    # The other booth's operator sees none of them.
    client_a.force_login(mpp_a.other_operator)
    assert not client_a.get(reverse("applications:worklist")).context["page"].object_list


def test_staff_detail_logs_access_and_actions_work(client_a, submitted, mpp_a, citizen, in_region):
    client_a.force_login(mpp_a.operator)
    page = client_a.get(reverse("applications:staff_detail", args=[submitted.pk]))
    assert page.status_code == 200
    assert citizen.profile.nik in page.content.decode()  # staff need the NIK; access is logged
    assert DataAccessLog.objects.filter(
        profile=citizen.profile, action=AccessAction.APPLICATION_OPENED
    ).exists()
    with in_region(mpp_a.mpp):
        requirement = submitted.requirements.filter(document__isnull=False).first()
    doc = client_a.get(reverse("applications:staff_document", args=[submitted.pk, requirement.pk]))
    assert doc.status_code == 200
    assert DataAccessLog.objects.filter(
        profile=citizen.profile, action=AccessAction.DOCUMENT_VIEWED
    ).exists()
    url = lambda action: reverse("applications:staff_action", args=[submitted.pk, action])  # noqa: E731
    assert client_a.post(url("process")).status_code == 302  # refused with a message
    client_a.post(url("verify"))
    client_a.post(url("process"))
    response = client_a.post(
        url("complete"),
        {"result_kind": "document", "result_file": upload("hasil.pdf", pdf_bytes("hasil"))},
        follow=True,
    )
    assert "Permohonan selesai" in response.content.decode()
    with in_region(mpp_a.mpp):
        assert Application.objects.get(pk=submitted.pk).status == ApplicationStatus.COMPLETED
    # The citizen downloads the result.
    client_a.force_login(citizen.user)
    detail = client_a.get(reverse("applications:detail", args=[submitted.pk]))
    result = detail.context["result_file"]
    download = client_a.get(reverse("applications:file", args=[submitted.pk, result.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_counter_flow_for_a_citizen_without_phone(client_a, mpp_a, in_region, doc_types):
    client_a.force_login(mpp_a.operator)
    response = client_a.post(
        reverse("applications:counter"),
        {
            "do": "register",
            "nik": "3510014508450003",
            "full_name": "Mbah Sumi",
            "birth_place": "Banyuwangi",
            "birth_date": "1945-08-05",
            "address_line": "Dusun Krajan RT 1/RW 1",
            "regency_code": "35.10",
            "phone": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    profile_id = int(response["Location"].rstrip("/").split("/")[-1])
    start = reverse("applications:counter_start", args=[profile_id, mpp_a.offering.pk])
    data = {
        f"req-doc-{doc_types['ktp'].pk}-file": upload("ktp.pdf", pdf_bytes()),
        f"req-doc-{doc_types['kk'].pk}-file": upload("kk.pdf", pdf_bytes()),
        f"req-{mpp_a.text_key}-ok": "1",
        "field-keperluan": "Kerja",
        "client_key": str(uuid.uuid4()),
        "action": "submit",
    }
    response = client_a.post(start, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    receipt = client_a.get(response["Location"])
    claim_code = receipt.context["claim_code"]
    assert len(claim_code or "") == 8
    with in_region(mpp_a.mpp):
        application = Application.objects.get(is_assisted=True)
    assert application.status == ApplicationStatus.SUBMITTED
    # Shown once only.
    assert client_a.get(response["Location"]).context["claim_code"] is None
    # Later the citizen claims it with a new account.
    from shared.accounts.models import User
    from shared.citizens.services import application_claim

    grandchild = User.objects.create_user(email="cucu@example.id", password="x")
    row = application_claim(user=grandchild, number=application.number, claim_code=claim_code)
    assert row.profile.user == grandchild


def test_an_assisted_application_is_edited_at_the_counter(
    client_a, client_b, mpp_a, mpp_b, in_region, doc_types
):
    """Counter staff start a draft for a walk-in, come back to it and change an answer: the
    change is saved and audited; staff of another region (or another booth) never reach it."""
    from tenants.audit.models import AuditEntry

    client_a.force_login(mpp_a.operator)
    registered = client_a.post(
        reverse("applications:counter"),
        {
            "do": "register",
            "nik": "3510014508450003",
            "full_name": "Mbah Sumi",
            "birth_place": "Banyuwangi",
            "birth_date": "1945-08-05",
            "address_line": "Dusun Krajan RT 1/RW 1",
            "regency_code": "35.10",
            "phone": "",
        },
    )
    assert registered.status_code == 302, registered.content.decode()[:3000]
    profile_id = int(registered["Location"].rstrip("/").split("/")[-1])
    start = reverse("applications:counter_start", args=[profile_id, mpp_a.offering.pk])
    draft = client_a.post(
        start,
        {
            f"req-doc-{doc_types['ktp'].pk}-file": upload("ktp.pdf", pdf_bytes()),
            f"req-doc-{doc_types['kk'].pk}-file": upload("kk.pdf", pdf_bytes()),
            "field-keperluan": "Kerja",
            "client_key": str(uuid.uuid4()),
            "action": "draft",
        },
    )
    assert draft.status_code == 302, draft.content.decode()[:3000]
    with in_region(mpp_a.mpp):
        application = Application.objects.get(is_assisted=True, citizen_id=profile_id)
    edit = reverse("applications:counter_edit", args=[application.pk])
    assert draft["Location"] == edit
    assert application.status == ApplicationStatus.DRAFT
    assert application.data["keperluan"] == "Kerja"

    # Another region's staff, on either host, and another booth's operator: not found.
    client_b.force_login(mpp_b.operator)
    assert client_b.get(edit).status_code == 404
    assert client_b.post(edit, {"field-keperluan": "Bank", "action": "draft"}).status_code == 404
    other = client_a.__class__(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    other.force_login(mpp_b.operator)
    assert other.get(edit).status_code == 404
    other.force_login(mpp_a.other_operator)
    assert other.get(edit).status_code == 404
    assert other.post(edit, {"field-keperluan": "Bank", "action": "draft"}).status_code == 404

    # The operator comes back to the draft: the earlier answer is there, and the edit sticks.
    page = client_a.get(edit)
    assert page.status_code == 200
    assert re.search(r'value="Kerja"[^>]*(selected|checked)', page.content.decode())
    with in_region(mpp_a.mpp):
        audited = AuditEntry.objects.filter(
            action="applications.application.draft_saved", target_id=str(application.pk)
        ).count()
    saved = client_a.post(
        edit,
        {
            f"req-{mpp_a.text_key}-ok": "1",
            "field-keperluan": "Sekolah",
            "client_key": str(uuid.uuid4()),
            "action": "submit",
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    with in_region(mpp_a.mpp):
        application.refresh_from_db()
        entries = AuditEntry.objects.filter(target_id=str(application.pk))
        assert entries.filter(action="applications.application.draft_saved").count() == audited + 1
        assert entries.filter(actor_id=mpp_a.operator.pk).exists()
    assert application.data["keperluan"] == "Sekolah"
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.number
    # Submitted, the form no longer edits: it leads to the receipt.
    assert client_a.get(edit)["Location"] == reverse(
        "applications:counter_receipt", args=[application.pk]
    )
    # and the other region's staff still cannot see it
    assert client_b.get(edit).status_code == 404


def test_counter_cannot_open_a_citizen_it_did_not_find(client_a, mpp_a, make_citizen):
    _user, profile = make_citizen()
    client_a.force_login(mpp_a.operator)
    assert (
        client_a.get(reverse("applications:counter_citizen", args=[profile.pk])).status_code == 404
    )
    client_a.post(reverse("applications:counter"), {"do": "search", "q": profile.nik})
    found = client_a.get(reverse("applications:counter_citizen", args=[profile.pk]))
    assert found.status_code == 200
    # Found is not consented: the consent step, with the masked name only.
    assert found.templates[0].name == "applications/counter/consent.html"
    assert profile.full_name not in found.content.decode()
    assert DataAccessLog.objects.filter(
        profile=profile, action=AccessAction.CITIZEN_SEARCHED, actor=mpp_a.operator
    ).exists()


def test_admin_edits_the_form_definition(client_a, mpp_a, in_region):
    client_a.force_login(mpp_a.admin)
    url = reverse("applications:admin_form", args=[mpp_a.offering.pk])
    page = client_a.get(url)
    assert page.status_code == 200
    formset = page.context["formset"]
    data = {
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": str(len(formset.initial)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "30",
        "form-0-key": "keperluan",
        "form-0-label": "Keperluan surat",
        "form-0-kind": "choice",
        "form-0-choices": "Sekolah\nKerja\nBank",
        "form-0-is_required": "on",
        "form-1-key": "jumlah-salinan",
        "form-1-label": "Jumlah salinan",
        "form-1-kind": "number",
        "form-1-DELETE": "on",
        "form-2-label": "Tanggal dibutuhkan",
        "form-2-kind": "date",
    }
    assert client_a.post(url, data).status_code == 302
    with in_region(mpp_a.mpp):
        fields = {f.key: f for f in FormField.objects.filter(offering=mpp_a.offering)}
    assert fields["keperluan"].choices == ["Sekolah", "Kerja", "Bank"]
    assert fields["jumlah-salinan"].is_active is False
    assert fields["tanggal-dibutuhkan"].kind == "date"
    bad = dict(data, **{"form-2-kind": "choice", "form-2-choices": ""})
    response = client_a.post(url, bad)
    assert response.status_code == 400
    assert "satu per baris" in response.content.decode()


def test_admin_pages_are_for_admins_only(client_a, mpp_a):
    for user in (mpp_a.operator, mpp_a.supervisor):
        client_a.force_login(user)
        assert client_a.get(reverse("applications:admin_forms")).status_code == 404
        assert client_a.get(reverse("applications:admin_outbox")).status_code == 404
    client_a.force_login(mpp_a.admin)
    forms = client_a.get(reverse("applications:admin_forms"))
    assert forms.status_code == 200
    # the region's online service, linked to its form editor
    assert "Surat Keterangan Domisili" in forms.content.decode()
    edit = reverse("applications:admin_form", args=[mpp_a.offering.pk])
    assert f'href="{edit}"' in forms.content.decode()
    outbox = client_a.get(reverse("applications:admin_outbox"))
    assert outbox.status_code == 200
    assert "<h1>Kotak pesan keluar</h1>" in outbox.content.decode()  # its rows: the next test


def test_outbox_page_shows_this_regions_messages_masked(
    client_a, submitted, mpp_a, mpp_b, in_region
):
    from tenants.applications.models import StatusChange
    from tenants.applications.services.notify import application_status_notify

    # The submission's notice, as the worker sends it once the submission has committed.
    with in_region(mpp_a.mpp):
        change = StatusChange.objects.filter(application=submitted).latest("pk")
        assert application_status_notify(status_change_id=change.pk) > 0
    client_a.force_login(mpp_a.admin)
    page = client_a.get(reverse("applications:admin_outbox")).content.decode()
    assert submitted.number in page
    assert "0812****7890" in page
    assert "+6281234567890" not in page
