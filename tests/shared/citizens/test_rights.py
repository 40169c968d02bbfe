"""UU PDP rights: "download my data" (one archive) and "delete my account" with the retention
rules shown and applied; every staff read, including the Django admin, in the access log."""

import io
import json
import zipfile

from django.urls import reverse
from django.utils import timezone

from shared.citizens import services
from shared.citizens.models import (
    AccessAction,
    ApplicationIndex,
    ApplicationStatus,
    CitizenProfile,
    DataAccessLog,
    Document,
)
from tests.shared.citizens.conftest import NIK_SITI, jpeg_bytes, pdf_bytes, upload


def _index(profile, region, status, n):
    return ApplicationIndex.objects.create(
        region=region.region,
        application_id=900 + n,
        profile=profile,
        number=f"3510-2026-9{n:05d}",
        offering_name="Surat Domisili",
        status=status,
        updated_at=timezone.now(),
    )


def test_download_my_data_is_one_archive_with_everything(
    client_a, make_citizen, doc_types, region_a
):
    user, profile = make_citizen(nik=NIK_SITI)
    services.document_upload(
        actor=user,
        profile=profile,
        document_type=doc_types["ktp"],
        upload=upload("k.pdf", pdf_bytes()),
    )
    _index(profile, region_a, ApplicationStatus.COMPLETED, 1)
    services.access_log_record(
        profile=profile,
        actor=user,
        role="operator",
        region=region_a.region,
        action=AccessAction.APPLICATION_OPENED,
    )
    client_a.force_login(user)
    response = client_a.get(reverse("citizens:data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert {"profil.json", "dokumen.json", "permohonan.json", "log-akses.json"} <= set(names)
    assert json.loads(archive.read("profil.json"))["nik"] == NIK_SITI
    assert json.loads(archive.read("permohonan.json"))[0]["region"] == region_a.region.name
    assert len(json.loads(archive.read("log-akses.json"))) == 1
    assert any(n.startswith("dokumen/") and archive.read(n).startswith(b"%PDF") for n in names)
    # Another citizen's download holds nothing of this one.
    other, _ = make_citizen(nik="3510011508850002")
    client_a.force_login(other)
    theirs = zipfile.ZipFile(io.BytesIO(client_a.get(reverse("citizens:data_export")).content))
    assert json.loads(theirs.read("permohonan.json")) == []


def test_delete_account_shows_and_applies_the_retention_rules(
    client_a, make_citizen, doc_types, region_a
):
    user, profile = make_citizen(nik=NIK_SITI)
    loose = services.document_upload(
        actor=user,
        profile=profile,
        document_type=doc_types["kk"],
        upload=upload("kk.pdf", pdf_bytes()),
    )
    open_row = _index(profile, region_a, ApplicationStatus.SUBMITTED, 1)
    client_a.force_login(user)
    page = client_a.get(reverse("citizens:my_data")).content.decode()
    assert "5 tahun" in page
    assert "Belum dapat dihapus" in page
    refused = client_a.post(
        reverse("citizens:my_data"), {"password": "rahasia-123", "understood": "on"}
    )
    assert refused.status_code == 400
    assert "masih diproses" in refused.content.decode()
    open_row.status = ApplicationStatus.COMPLETED
    open_row.save()
    wrong = client_a.post(reverse("citizens:my_data"), {"password": "salah", "understood": "on"})
    assert "Kata sandi salah" in wrong.content.decode()
    done = client_a.post(
        reverse("citizens:my_data"), {"password": "rahasia-123", "understood": "on"}
    )
    assert done.status_code == 302
    profile = CitizenProfile.objects.get(pk=profile.pk)
    assert profile.deleted_at is not None
    assert profile.nik is None
    assert profile.full_name == ""
    assert profile.user_id is None
    assert profile.retain_until.year == timezone.localdate().year + 5
    assert ApplicationIndex.objects.filter(pk=open_row.pk).exists()  # kept with its region
    assert Document.objects.get(pk=loose.pk).archived_at is not None  # attached to nothing
    user.refresh_from_db()
    assert not user.is_active
    assert user.email.endswith("@akun.invalid")
    # The NIK is free again: the person can be registered at a counter later.
    assert not CitizenProfile.objects.with_nik(NIK_SITI).exists()


def test_the_admin_read_appears_in_the_access_log(national_client, make_user, make_citizen):
    _user, profile = make_citizen(nik=NIK_SITI)
    superadmin = make_user(superadmin=True, full_name="Super Admin")
    national_client.force_login(superadmin)
    listing = national_client.get("/admin/citizens/citizenprofile/")
    assert listing.status_code == 200
    change = f"/admin/citizens/citizenprofile/{profile.pk}/change/"
    assert change in listing.content.decode()  # the profile is listed …
    assert profile.full_name not in listing.content.decode()  # … masked
    assert not DataAccessLog.objects.filter(profile=profile).exists()
    detail = national_client.get(change)
    assert detail.status_code == 200
    assert profile.full_name in detail.content.decode()  # the read that is logged
    entry = DataAccessLog.objects.get(profile=profile)
    assert entry.action == AccessAction.ADMIN_VIEWED
    assert entry.actor == superadmin
    assert entry.role == "superadmin"
    assert entry.via == "admin"
    national_client.get(f"/admin/accounts/user/{profile.user_id}/change/")
    assert DataAccessLog.objects.filter(profile=profile).count() == 2


def test_uploaded_images_lose_their_exif(make_citizen, doc_types):
    from PIL import Image

    user, profile = make_citizen()
    original = jpeg_bytes(gps=True)
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get(0x8825)  # the phone's GPS block is there before
    document = services.document_upload(
        actor=user,
        profile=profile,
        document_type=doc_types["foto"],
        upload=upload("f.jpg", original),
    )
    with document.file.open("rb") as handle:
        stored = handle.read()
    with Image.open(io.BytesIO(stored)) as image:
        exif = image.getexif()
        assert not exif.get(0x8825)
        assert not exif.get(0x010F)
        assert image.size == (24, 16)
    assert b"PhoneModel" not in stored
    import hashlib

    assert document.sha256 == hashlib.sha256(stored).hexdigest()
    assert document.size == len(stored)


def test_a_broken_image_is_refused_with_a_message(make_citizen, doc_types):
    import pytest
    from django.core.exceptions import ValidationError

    user, profile = make_citizen()
    broken = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 64
    with pytest.raises(ValidationError) as exc:
        services.document_upload(
            actor=user,
            profile=profile,
            document_type=doc_types["foto"],
            upload=upload("x.jpg", broken),
        )
    assert "rusak" in exc.value.messages[0]
