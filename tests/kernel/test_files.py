"""The "private" storage: one prefix rule, files shared between processes, and the S3-compatible
backend end to end (vault upload and download, readiness)."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from kernel import health
from kernel.files import file_prefix, private_path, private_storage
from tests.objectstorage import object_names, s3_endpoint, s3_storage
from tests.shared.citizens.conftest import doc_types, make_citizen, pdf_bytes, upload

__all__ = ["doc_types", "make_citizen", "s3_endpoint", "s3_storage"]

ROOT = Path(__file__).resolve().parents[2]


def test_one_prefix_per_region_and_one_for_the_nation():
    assert file_prefix("mpp_35_10") == "regions/mpp_35_10/"
    assert file_prefix("public") == "national/"
    name = private_path("mpp_35_10", "applications", 7, suffix=".pdf")
    assert name.startswith("regions/mpp_35_10/applications/7/")
    assert name.endswith(".pdf")
    for bad in ("", "../etc", "mpp/35", "Mpp_35_10"):
        with pytest.raises(ValueError):
            file_prefix(bad)


def test_private_files_have_no_url():
    with pytest.raises(ValueError):
        private_storage().url("national/x.pdf")


def _other_process(code: str, root: Path) -> subprocess.CompletedProcess:
    """A separate Django process (as a Celery worker is) configured only by the environment."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MPP_")},
        "MPP_ENV": "test",
        "MPP_STORAGE": "filesystem",
        "MPP_PRIVATE_ROOT": str(root),
        "DJANGO_SETTINGS_MODULE": "mpp_platform.settings",
    }
    script = "import django, sys\ndjango.setup()\nfrom kernel.files import private_storage\n"
    return subprocess.run(
        [sys.executable, "-c", script + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


@pytest.mark.django_db
def test_an_upload_is_readable_by_another_process_and_back(make_citizen, doc_types, private_root):
    from shared.citizens.services import document_upload

    user, profile = make_citizen()
    content = pdf_bytes("ktp warga")
    document = document_upload(
        actor=user,
        profile=profile,
        document_type=doc_types["ktp"],
        upload=upload("ktp.pdf", content),
    )
    read = _other_process(
        "import hashlib\n"
        f"print(hashlib.sha256(private_storage().open({document.file.name!r}).read()).hexdigest())",
        private_root,
    )
    assert read.stdout.strip() == hashlib.sha256(content).hexdigest()
    # And what the other process writes, this one reads.
    written = _other_process(
        "from django.core.files.base import ContentFile\n"
        "print(private_storage().save('regions/mpp_35_10/x/hasil.txt', ContentFile(b'hasil')))",
        private_root,
    )
    with private_storage().open(written.stdout.strip(), "rb") as fh:
        assert fh.read() == b"hasil"


@pytest.mark.django_db
def test_the_vault_on_object_storage(s3_storage, make_citizen, doc_types, private_root):
    from shared.citizens.services import document_upload

    client, bucket = s3_storage
    user, profile = make_citizen()
    content = pdf_bytes("kk warga")
    document = document_upload(
        actor=user, profile=profile, document_type=doc_types["kk"], upload=upload("kk.pdf", content)
    )
    assert object_names(client, bucket) == [document.file.name]
    assert document.file.name.startswith(f"national/citizens/{profile.pk}/")
    stored = client.get_object(Bucket=bucket, Key=document.file.name)["Body"].read()
    assert stored == content
    assert not private_root.exists()  # nothing went to a local folder
    # The owner downloads it through the access-checked view, streamed from the bucket.
    owner = Client(HTTP_HOST="mpp.localhost")
    owner.force_login(user)
    response = owner.get(f"/warga/dokumen/{document.pk}/berkas/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018 - no presigned link either


@pytest.mark.django_db
def test_readiness_checks_the_object_storage(s3_storage, settings, national_client, caplog):
    client, bucket = s3_storage
    assert national_client.get("/readyz").status_code == 200
    assert object_names(client, bucket) == []  # the probe cleans up after itself
    files = {**settings.STORAGES["private"]}
    files["OPTIONS"] = {**files["OPTIONS"], "bucket_name": "no-such-bucket"}
    settings.STORAGES = {**settings.STORAGES, "default": files, "private": files}
    health.forget_readiness()
    response = national_client.get("/readyz")
    assert response.status_code == 503
    assert "no-such-bucket" not in response.content.decode()
    assert "storage: " in caplog.text
