"""The document vault: type by content, size limit, private storage, owner-only serving."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shared.citizens import services
from shared.citizens.models import Document
from tests.shared.citizens.conftest import jpeg_bytes, pdf_bytes, png_bytes, upload


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("ktp.pdf", pdf_bytes(), "application/pdf"),
        ("foto.png", png_bytes(), "image/png"),
        ("foto.jpg", jpeg_bytes(), "image/jpeg"),
        ("tanpa-ekstensi", pdf_bytes(), "application/pdf"),  # the name does not matter
    ],
)
def test_accepted_types_are_detected_by_content(make_citizen, doc_types, name, content, mime):
    user, profile = make_citizen()
    document = services.document_upload(
        actor=user, profile=profile, document_type=doc_types["ktp"], upload=upload(name, content)
    )
    assert document.content_type == mime
    assert document.size == len(content)
    assert len(document.sha256) == 64


def test_a_text_file_named_pdf_is_refused(make_citizen, doc_types, fake_pdf):
    user, profile = make_citizen()
    with pytest.raises(ValidationError) as exc:
        services.document_upload(
            actor=user, profile=profile, document_type=doc_types["ktp"], upload=fake_pdf
        )
    assert "Jenis berkas tidak didukung" in exc.value.messages[0]
    assert not Document.objects.filter(profile=profile).exists()


def test_other_real_formats_are_refused(make_citizen, doc_types):
    user, profile = make_citizen()
    gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 40
    with pytest.raises(ValidationError):
        services.document_upload(
            actor=user, profile=profile, document_type=doc_types["ktp"], upload=upload("a.pdf", gif)
        )


def test_too_large_is_refused(make_citizen, doc_types, settings):
    settings.CITIZEN_DOCUMENT_MAX_BYTES = 1024
    user, profile = make_citizen()
    big = pdf_bytes() + b"0" * 2048
    with pytest.raises(ValidationError) as exc:
        services.document_upload(
            actor=user, profile=profile, document_type=doc_types["ktp"], upload=upload("b.pdf", big)
        )
    assert "terlalu besar" in exc.value.messages[0]


def test_empty_file_is_refused(make_citizen, doc_types):
    user, profile = make_citizen()
    with pytest.raises(ValidationError):
        services.document_upload(
            actor=user, profile=profile, document_type=doc_types["ktp"], upload=upload("e.pdf", b"")
        )


def test_files_are_stored_privately_per_citizen_under_random_names(
    make_citizen, doc_types, pdf_upload, private_root
):
    user, profile = make_citizen()
    document = services.document_upload(
        actor=user,
        profile=profile,
        document_type=doc_types["ktp"],
        upload=pdf_upload("ktp-siti.pdf"),
    )
    path = private_root / document.file.name
    assert path.exists()
    assert document.file.name.startswith(f"national/citizens/{profile.pk}/")
    assert "siti" not in document.file.name
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018 - private files have no URL


def test_owner_downloads_their_document(client_a, make_citizen, doc_types, pdf_upload):
    user, profile = make_citizen()
    document = services.document_upload(
        actor=user, profile=profile, document_type=doc_types["ktp"], upload=pdf_upload()
    )
    client_a.force_login(user)
    response = client_a.get(reverse("citizens:file", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_citizen_staff_and_anonymous_cannot_download(
    client_a, national_client, make_citizen, make_user, region_a, doc_types, pdf_upload
):
    from shared.accounts.models import Role

    user, profile = make_citizen()
    document = services.document_upload(
        actor=user, profile=profile, document_type=doc_types["ktp"], upload=pdf_upload()
    )
    url = reverse("citizens:file", args=[document.pk])
    other, _ = make_citizen(nik="3510011508850002")
    admin = make_user(role=Role.DPMPTSP_ADMIN, region=region_a)
    superadmin = make_user(superadmin=True)
    for intruder in (other, admin, superadmin):
        client_a.force_login(intruder)
        assert client_a.get(url).status_code == 404
        national_client.force_login(intruder)
        assert national_client.get(url).status_code == 404
    client_a.logout()
    assert client_a.get(url).status_code == 302  # to sign in


def test_vault_page_uploads_and_shows_clear_errors(client_a, make_citizen, doc_types, fake_pdf):
    user, _profile = make_citizen()
    client_a.force_login(user)
    url = reverse("citizens:vault")
    response = client_a.post(url, {"document_type": doc_types["kk"].pk, "file": fake_pdf})
    assert response.status_code == 400
    assert "Jenis berkas tidak didukung" in response.content.decode()
    ok = upload("kk.png", png_bytes())
    response = client_a.post(url, {"document_type": doc_types["kk"].pk, "file": ok})
    assert response.status_code == 302
    page = client_a.get(url).content.decode()
    assert "kk.png" in page


def test_archived_documents_leave_the_vault_but_keep_their_file(
    client_a, make_citizen, doc_types, pdf_upload
):
    user, profile = make_citizen()
    document = services.document_upload(
        actor=user, profile=profile, document_type=doc_types["ktp"], upload=pdf_upload()
    )
    client_a.force_login(user)
    client_a.post(reverse("citizens:document_archive", args=[document.pk]))
    document.refresh_from_db()
    assert document.archived_at is not None
    assert document.file.storage.exists(document.file.name)
    assert "ktp.pdf" not in client_a.get(reverse("citizens:vault")).content.decode()
