"""Export the whole catalogue as JSON and CSV; import an updated file: every bad row reported with
its reason, nothing applied unless the whole file is valid."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shared.audit.models import AuditEntry
from shared.catalogue.exchange import catalogue_export_csv, catalogue_export_json
from shared.catalogue.models import Agency, Service, ServiceVersion
from shared.catalogue.services import catalogue_import, catalogue_load_starter


def _versions():
    return sorted(ServiceVersion.objects.values_list("service__code", "number"))


def _csv_rows(text):
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def _csv(rows, header):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def test_starter_load_is_idempotent_and_keeps_superadmin_edits(starter, superadmin):
    from shared.catalogue.services import service_update

    assert len(starter.created) == Service.objects.count() >= 40
    skck = Service.objects.get(code="polri-skck")
    service_update(actor=superadmin, service=skck, fee_amount=35000)
    before = (_versions(), AuditEntry.objects.count(), Agency.objects.count())
    again = catalogue_load_starter()
    assert again.created == []
    assert again.updated == []
    assert again.unchanged == starter.services_in_file
    assert (_versions(), AuditEntry.objects.count(), Agency.objects.count()) == before
    skck.refresh_from_db()
    assert skck.fee_amount == 35000  # the starter file does not undo an edit


def test_json_export_then_import_changes_nothing(starter):
    exported = catalogue_export_json()
    data = json.loads(exported)
    assert data["format"] == "mpp-katalog"
    assert len(data["services"]) == Service.objects.count()
    assert len(data["agencies"]) == Agency.objects.count()
    before = _versions()
    report = catalogue_import(actor=None, content=exported.encode(), filename="katalog.json")
    assert report.valid
    assert report.applied
    assert report.created == []
    assert report.updated == []
    assert _versions() == before


def test_csv_export_then_import_changes_nothing(starter):
    exported = catalogue_export_csv()
    rows = _csv_rows(exported)
    assert len(rows) == Service.objects.count()
    paspor = next(r for r in rows if r["code"] == "imigrasi-paspor-biasa")
    assert paspor["fee_amount"] == "350000"
    assert paspor["agency"] == "imigrasi"
    assert "ktp-el | yang masih berlaku | wajib" in paspor["requirements"].splitlines()
    before = _versions()
    report = catalogue_import(actor=None, content=exported.encode("utf-8"), filename="katalog.csv")
    assert report.valid, report.errors
    assert report.updated == []
    assert report.created == []
    assert _versions() == before


def test_an_updated_csv_applies_as_new_versions(starter, superadmin):
    rows = _csv_rows(catalogue_export_csv())
    header = list(rows[0])
    for row in rows:
        if row["code"] == "polri-skck":
            row["fee_amount"] = "Rp35.000"  # the way people type it
        if row["code"] == "dukcapil-kia":
            row["steps"] += "\nKIA dapat dicetak sendiri di rumah"
    rows.append(
        {
            **dict.fromkeys(header, ""),
            "code": "pos-kirim-dokumen",
            "name": "Pengiriman Dokumen Hasil Layanan",
            "agency": "pdam",
            "product": "Dokumen terkirim",
            "complaint_handling": "Loket pengaduan",
            "channels": "walk_in",
            "requirements": " | Alamat pengiriman | wajib",
            "steps": "Isi alamat\nBayar ongkos kirim",
            "fee_kind": "variable",
        }
    )
    report = catalogue_import(actor=superadmin, content=_csv(rows, header), filename="katalog.csv")
    assert report.applied, report.errors
    assert sorted(report.updated) == ["dukcapil-kia", "polri-skck"]
    assert report.created == ["pos-kirim-dokumen"]
    skck = ServiceVersion.objects.get(service__code="polri-skck", number=2)
    assert skck.changed_by == superadmin
    assert skck.changed_fields == ["fee_amount"]
    assert (
        Service.objects.get(code="pos-kirim-dokumen").requirements.get().text == "Alamat pengiriman"
    )
    assert AuditEntry.objects.filter(action="catalogue.import.applied").exists()


def test_one_bad_row_applies_nothing_and_is_reported(starter, superadmin):
    rows = _csv_rows(catalogue_export_csv())
    header = list(rows[0])
    rows[0]["name"] = rows[0]["name"] + " (diubah)"  # a valid change …
    rows[5]["agency"] = "instansi-hantu"  # … and one bad row
    before = (_versions(), Service.objects.get(code=rows[0]["code"]).name)
    report = catalogue_import(actor=superadmin, content=_csv(rows, header), filename="katalog.csv")
    assert not report.valid
    assert not report.applied
    assert report.errors == [
        {
            "section": "services",
            "row": 7,  # the header is row 1, so the sixth service is row 7
            "code": rows[5]["code"],
            "field": "agency",
            "message": "Instansi instansi-hantu tidak dikenal.",
        }
    ]
    assert (_versions(), Service.objects.get(code=rows[0]["code"]).name) == before


def test_every_bad_row_is_listed_with_its_reason(starter):
    data = json.loads(catalogue_export_json())
    services = data["services"]
    services[0]["fee_kind"] = "free"
    services[0]["fee_amount"] = 5000
    services[1]["channels"] = ["merpati"]
    services[2]["requirements"] = [{"document_type": "dokumen-ajaib", "text": ""}]
    services[3]["code"] = services[4]["code"]
    services[5]["completion_days"] = "dua"
    services[6]["product"] = ""
    data["agencies"].append({"code": "Bukan Slug", "name": "", "kind": "alien"})
    report = catalogue_import(actor=None, content=json.dumps(data).encode(), filename="x.json")
    assert not report.applied
    found = {(e["section"], e["row"], e["field"]) for e in report.errors}
    assert {
        ("services", 1, "fee_amount"),
        ("services", 2, "channels"),
        ("services", 3, "requirements"),
        ("services", 5, "code"),
        ("services", 6, "completion_days"),
        ("services", 7, "product"),
        ("agencies", len(data["agencies"]), "code"),
        ("agencies", len(data["agencies"]), "name"),
        ("agencies", len(data["agencies"]), "kind"),
    } <= found
    assert all(e["message"] for e in report.errors)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00garbage", "UTF-8"),
        (b'{"services": [', "JSON tidak valid"),
        (b"nama,biaya\nKTP,0\n", "Kolom wajib tidak ada"),
    ],
)
def test_unreadable_files_are_reported(db, content, message):
    report = catalogue_import(actor=None, content=content, filename="x.csv")
    assert not report.valid
    assert message in report.errors[0]["message"]


def test_dry_run_validates_without_applying(starter):
    data = json.loads(catalogue_export_json())
    data["services"][0]["name"] = "Nama Baru Sekali"
    before = _versions()
    report = catalogue_import(actor=None, content=json.dumps(data).encode(), dry_run=True)
    assert report.valid
    assert not report.applied
    assert report.updated == [data["services"][0]["code"]]
    assert _versions() == before


def test_semicolon_csv_from_a_spreadsheet(starter):
    rows = _csv_rows(catalogue_export_csv())
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    report = catalogue_import(
        actor=None, content=("\ufeff" + out.getvalue()).encode(), dry_run=True
    )
    assert report.valid, report.errors[:3]


# --- through the API and the superadmin page ---------------------------------------------


def test_export_endpoints_are_public(starter, national_client, client_a):
    for client in (national_client, client_a):
        as_json = client.get("/api/v1/catalogue/export.json")
        assert as_json.status_code == 200
        assert "attachment" in as_json["Content-Disposition"]
        assert len(json.loads(as_json.content)["services"]) >= 40
        as_csv = client.get("/api/v1/catalogue/export.csv")
        assert as_csv["Content-Type"].startswith("text/csv")
        assert len(_csv_rows(as_csv.content.decode())) >= 40


def test_api_import_is_for_superadmins_only(starter, make_user, region_a, national_client):
    from shared.accounts.models import Role

    upload = catalogue_export_json().encode()
    assert national_client.post(
        "/api/v1/catalogue/import/", {"file": SimpleUploadedFile("k.json", upload)}
    ).status_code in (401, 403)
    national_client.force_login(make_user(role=Role.DPMPTSP_ADMIN, region=region_a))
    assert (
        national_client.post(
            "/api/v1/catalogue/import/", {"file": SimpleUploadedFile("k.json", upload)}
        ).status_code
        == 403
    )


def test_api_import_reports_the_bad_row_and_applies_nothing(starter, superadmin, national_client):
    national_client.force_login(superadmin)
    data = json.loads(catalogue_export_json())
    data["services"][0]["name"] = "Berubah"
    data["services"][3]["channels"] = ["pos"]
    before = _versions()
    response = national_client.post(
        "/api/v1/catalogue/import/",
        {"file": SimpleUploadedFile("katalog.json", json.dumps(data).encode())},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["applied"] is False
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(4, "channels")]
    assert _versions() == before

    data["services"][3]["channels"] = ["walk_in"]
    ok = national_client.post(
        "/api/v1/catalogue/import/",
        {"file": SimpleUploadedFile("katalog.json", json.dumps(data).encode())},
    )
    assert ok.status_code == 200
    assert ok.json()["applied"] is True
    assert set(ok.json()["updated"]) == {data["services"][0]["code"], data["services"][3]["code"]}


def test_superadmin_page_imports_with_a_report(starter, superadmin, make_user, national_client):
    assert national_client.get("/katalog/kelola/").status_code == 302  # sign in first
    national_client.force_login(make_user())
    assert national_client.get("/katalog/kelola/").status_code == 404
    national_client.force_login(superadmin)
    page = national_client.get("/katalog/kelola/")
    assert page.status_code == 200
    assert "Unduh CSV" in page.content.decode()

    rows = _csv_rows(catalogue_export_csv())
    header = list(rows[0])
    rows[2]["fee_amount"] = "-5"
    bad = national_client.post(
        "/katalog/kelola/", {"file": SimpleUploadedFile("katalog.csv", _csv(rows, header))}
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Tidak ada perubahan yang diterapkan" in html
    assert rows[2]["code"] in html
    assert "fee_amount" in html

    rows[2]["fee_amount"] = "0"
    rows[2]["name"] = rows[2]["name"] + " (Revisi)"
    rows[2]["fee_kind"] = "free"
    good = national_client.post(
        "/katalog/kelola/",
        {"file": SimpleUploadedFile("katalog.csv", _csv(rows, header))},
        follow=True,
    )
    assert good.status_code == 200
    assert "Katalog diperbarui" in good.content.decode()
    assert Service.objects.get(code=rows[2]["code"]).name.endswith("(Revisi)")

    wrong_type = national_client.post(
        "/katalog/kelola/", {"file": SimpleUploadedFile("katalog.xlsx", b"PK")}
    )
    assert wrong_type.status_code == 400
    assert "Unggah berkas .json atau .csv" in wrong_type.content.decode()
