"""The catalogue and region management commands, as an operator runs them."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shared.catalogue.models import Service
from shared.regions.models import Province, Region


def test_export_then_import_round_trips_and_changes_nothing(starter, tmp_path, capsys):
    out = tmp_path / "katalog.json"
    call_command("catalogue_export", "--format", "json", "-o", str(out))
    exported = json.loads(out.read_text(encoding="utf-8"))
    services = exported["services"]
    assert len(services) == Service.objects.count() > 0
    call_command("catalogue_import", str(out))
    assert f"0 baru, 0 berubah, {len(services)} tetap" in capsys.readouterr().out


def test_csv_export_has_one_row_per_service(starter, capsys):
    import csv
    import io

    call_command("catalogue_export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert sorted(r["code"] for r in rows) == sorted(Service.objects.values_list("code", flat=True))


def test_import_of_a_changed_service_applies_it_and_dry_run_applies_nothing(
    starter, tmp_path, capsys
):
    out = tmp_path / "katalog.json"
    call_command("catalogue_export", "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    code = data["services"][0]["code"]
    data["services"][0]["name"] = "Nama Baru Hasil Impor"
    out.write_text(json.dumps(data), encoding="utf-8")

    call_command("catalogue_import", str(out), "--dry-run")
    assert "diperiksa (tidak diterapkan): 0 baru, 1 berubah" in capsys.readouterr().out
    assert Service.objects.get(code=code).name != "Nama Baru Hasil Impor"

    call_command("catalogue_import", str(out))
    assert "diterapkan: 0 baru, 1 berubah" in capsys.readouterr().out
    assert Service.objects.get(code=code).name == "Nama Baru Hasil Impor"


def test_import_refuses_a_bad_file_whole_with_its_errors(starter, tmp_path, capsys):
    out = tmp_path / "katalog.json"
    call_command("catalogue_export", "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    before = Service.objects.get(code=data["services"][0]["code"]).name
    data["services"][0]["name"] = "Berubah Tapi Ditolak"
    data["services"][1]["completion_days"] = -3
    out.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="tidak ada yang diterapkan"):
        call_command("catalogue_import", str(out))
    assert "baris" in capsys.readouterr().err
    assert Service.objects.get(code=data["services"][0]["code"]).name == before


def test_import_of_a_missing_file_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="berkas tidak ditemukan"):
        call_command("catalogue_import", str(tmp_path / "tidak-ada.json"))


def test_load_regions_is_idempotent(db, capsys):
    call_command("load_regions")
    first = capsys.readouterr().out
    assert "38 provinsi, 514 kabupaten/kota dimuat." in first
    call_command("load_regions")
    assert (Province.objects.count(), Region.objects.count()) == (38, 514)
    assert Region.objects.get(code="35.10").name.endswith("Banyuwangi")
