"""Bulk onboarding: the whole CSV is validated first; bad rows apply nothing and are each
reported; a valid file provisions every region under one progress bar."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from kernel.errors import ConflictError
from onboarding.bulk import bulk_apply, bulk_validate
from onboarding.models import BulkBatch, Onboarding, Stage
from onboarding.provisioning.pipeline import pipeline_run
from onboarding.selectors import batch_progress
from shared.regions.models import Mpp, Region

HEADER = "kode;nomor_keputusan;tanggal_keputusan;email_admin;nama_admin;tanggal_komitmen\n"


def _regions(n, province="21"):
    return list(Region.objects.filter(code__startswith=province).order_by("code")[:n])


def _csv(rows):
    return (HEADER + "".join(";".join(r) + "\n" for r in rows)).encode()


def _good_rows(regions):
    return [
        (
            r.code,
            "457/2024",
            "2024-06-03",
            f"admin.{r.slug}@mpp.test",
            f"Admin {r.name}",
            "2024-03-07",
        )
        for r in regions
    ]


BAD_ROWS = [
    # (row, expected column, expected message fragment)
    (("99.99", "457/2024", "2024-06-03", "a@x.test", "", ""), "kode", "tidak dikenal"),
    (("21.01", "457/2024", "2024-06-03", "b@x.test", "", ""), "kode", "ganda"),
    (("21.02", "", "2024-06-03", "c@x.test", "", ""), "nomor_keputusan", "wajib"),
    (("21.03", "457/2024", "3 Juni 2024", "d@x.test", "", ""), "tanggal_keputusan", "tidak valid"),
    (("21.04", "457/2024", "2099-01-01", "e@x.test", "", ""), "tanggal_keputusan", "masa depan"),
    (("21.05", "457/2024", "2024-06-03", "bukan-email", "", ""), "email_admin", "tidak valid"),
    (("21.71", "457/2024", "2024-06-03", "a@x.test", "", ""), "email_admin", "ganda"),
    (
        ("21.72", "457/2024", "2024-06-03", "f@x.test", "", "2024-07-01"),
        "tanggal_komitmen",
        "sesudah",
    ),
    # Kota Bukittinggi is suspended here (a live region is "nothing to do" instead).
    (("13.75", "457/2024", "2024-06-03", "g@x.test", "", ""), "kode", "tahap"),
]


@pytest.fixture
def suspended(make_onboarding):
    return make_onboarding("13.75", stage=Stage.SUSPENDED)


def _bad_file() -> bytes:
    good = ("21.01", "457/2024", "03/06/2024", "ok@x.test", "Admin", "07/03/2024")
    return _csv([good] + [row for row, _c, _m in BAD_ROWS])


def test_a_csv_with_bad_rows_applies_nothing_and_reports_each_row(db, suspended):
    raw = _bad_file()
    before = (Onboarding.objects.count(), BulkBatch.objects.count())
    result = bulk_validate(raw)
    assert not result.ok
    reported = {(e.row, e.column) for e in result.errors}
    for line, (_row, column, fragment) in enumerate(BAD_ROWS, start=3):
        assert (line, column) in reported, (line, column)
        message = next(e.message for e in result.errors if (e.row, e.column) == (line, column))
        assert fragment in message, message
    assert len(result.errors) == len(BAD_ROWS)
    with pytest.raises(ConflictError, match="belum valid"):
        bulk_apply(actor=None, validation=result)
    assert (Onboarding.objects.count(), BulkBatch.objects.count()) == before


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"", "kosong"),
        (b"kode;email_admin\n21.01;a@x.test\n", "Kolom wajib tidak ada"),
        ("kode;nomor_keputusan;tanggal_keputusan;email_admin\n".encode("utf-16"), "UTF-8"),
        (HEADER.encode(), "Tidak ada baris data"),
    ],
)
def test_broken_files_are_refused_with_a_reason(db, raw, fragment):
    result = bulk_validate(raw)
    assert not result.ok
    assert fragment in result.errors[0].message


def test_a_valid_file_designates_and_provisions_every_region(db, superadmin, schemas):
    regions = _regions(7)
    before = schemas()
    result = bulk_validate(_csv(_good_rows(regions)))
    assert result.ok, result.errors
    batch = bulk_apply(
        actor=superadmin, validation=result, file_name="kepmen-457.csv", enqueue=False
    )
    assert batch.row_count == 7
    onboardings = list(batch.onboardings.all())
    assert {o.stage for o in onboardings} == {Stage.PROVISIONING}
    assert {o.decree_number for o in onboardings} == {"457/2024"}
    assert batch_progress(batch)["percent"] == 0
    for onboarding in onboardings[:3]:
        pipeline_run(onboarding_id=onboarding.pk)
    half = batch_progress(batch)
    assert half["live"] == 3
    assert 0 < half["percent"] < 100
    for onboarding in onboardings[3:]:
        pipeline_run(onboarding_id=onboarding.pk)
    done = batch_progress(batch)
    assert done == {**done, "live": 7, "percent": 100, "done": True, "failed": 0}
    assert schemas() == before | {r.schema_name for r in regions}
    assert Mpp.objects.filter(region__in=regions, status=Mpp.Status.LIVE).count() == 7


def test_console_upload_reports_bad_rows_and_applies_nothing(superadmin_client, suspended):
    raw = _bad_file()
    response = superadmin_client.post(
        "/onboarding/massal/", {"file": SimpleUploadedFile("kepmen.csv", raw, "text/csv")}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "tidak ada yang diterapkan" in body
    assert len(response.context["errors"]) == len(BAD_ROWS)
    assert not BulkBatch.objects.exists()


def test_console_upload_of_twenty_regions_provisions_them_under_one_bar(
    superadmin_client, eager_celery, django_capture_on_commit_callbacks
):
    regions = list(Region.objects.filter(code__startswith="1").order_by("code")[:20])
    raw = _csv(_good_rows(regions))
    with django_capture_on_commit_callbacks(execute=True):
        response = superadmin_client.post(
            "/onboarding/massal/", {"file": SimpleUploadedFile("kepmen.csv", raw, "text/csv")}
        )
    assert response.status_code == 302
    batch = BulkBatch.objects.get()
    assert response["Location"] == f"/onboarding/massal/{batch.pk}/"
    page = superadmin_client.get(response["Location"])
    assert f'data-progress-url="/api/v1/onboarding/bulk/{batch.pk}/"' in page.content.decode()
    progress = superadmin_client.get(f"/api/v1/onboarding/bulk/{batch.pk}/").json()
    assert progress["live"] == 20
    assert progress["percent"] == 100
    assert Mpp.objects.filter(region__in=regions, status=Mpp.Status.LIVE).count() == 20


def test_the_command_validates_then_provisions_with_a_progress_bar(superadmin, tmp_path, capsys):
    bad = tmp_path / "salah.csv"
    bad.write_bytes(_csv([row for row, _c, _m in BAD_ROWS[2:4]]))
    with pytest.raises(CommandError, match="tidak ada yang diterapkan"):
        call_command("onboard_bulk", str(bad), actor=superadmin.email)
    err = capsys.readouterr().err
    assert "baris 2 [nomor_keputusan]" in err
    assert "baris 3 [tanggal_keputusan]" in err
    assert not BulkBatch.objects.exists()

    good = tmp_path / "kepmen.csv"
    good.write_bytes(_csv(_good_rows(_regions(3))))
    call_command("onboard_bulk", str(good), actor=superadmin.email)
    out = capsys.readouterr().out
    assert "3/3 daerah aktif" in out
    with pytest.raises(CommandError, match="bukan superadmin"):
        call_command("onboard_bulk", str(good), actor="warga@example.id")
