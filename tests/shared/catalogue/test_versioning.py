"""Every change to a service is one version: who, when, a snapshot, and what changed."""

import pytest
from django.core.exceptions import ValidationError

from shared.audit.models import AuditEntry
from shared.catalogue.models import DocumentType, ServiceSearchDocument, ServiceVersion
from shared.catalogue.selectors import service_history, service_version_diff
from shared.catalogue.services import service_update


def test_create_is_version_one_with_a_full_snapshot(make_service, superadmin, ktp):
    service = make_service(
        actor=superadmin,
        name="Legalisir Dokumen",
        requirements=[{"document_type": ktp, "text": "Asli"}, {"text": "Dokumen yang dilegalisir"}],
        steps=["Serahkan dokumen", "Ambil hasil"],
        fee_amount=10000,
    )
    assert service.version == 1
    version = service.versions.get()
    assert version.number == 1
    assert version.changed_by == superadmin
    assert version.snapshot["requirements"] == [
        {"document_type": "ktp-el", "text": "Asli", "is_mandatory": True},
        {"document_type": None, "text": "Dokumen yang dilegalisir", "is_mandatory": True},
    ]
    assert version.snapshot["steps"] == ["Serahkan dokumen", "Ambil hasil"]
    assert version.snapshot["fee_kind"] == "fixed"
    assert version.snapshot["fee_amount"] == 10000
    assert AuditEntry.objects.filter(action="catalogue.service.created", target_id=str(service.pk))
    assert ServiceSearchDocument.objects.filter(service=service).exists()


def test_a_change_is_the_next_version_with_who_and_what(make_service, superadmin):
    service = make_service(name="Legalisir Dokumen", fee_amount=10000)
    updated = service_update(
        actor=superadmin,
        service=service,
        fee_amount=15000,
        fee_basis="Perda 1/2026",
        note="Tarif baru",
    )
    assert updated.version == 2
    v2 = ServiceVersion.objects.get(service=service, number=2)
    assert v2.changed_by == superadmin
    assert v2.note == "Tarif baru"
    assert v2.changed_fields == ["fee_amount", "fee_basis"]
    assert v2.snapshot["fee_amount"] == 15000
    entry = AuditEntry.objects.get(action="catalogue.service.updated", target_id=str(service.pk))
    assert entry.actor == superadmin
    assert entry.data["changed_fields"] == ["fee_amount", "fee_basis"]


def test_a_change_that_changes_nothing_writes_nothing(make_service, superadmin):
    service = make_service(name="Legalisir Dokumen", steps=["Satu"])
    again = service_update(
        actor=superadmin, service=service, name="  Legalisir Dokumen ", steps=["Satu"]
    )
    assert again.version == 1
    assert ServiceVersion.objects.filter(service=service).count() == 1
    assert not AuditEntry.objects.filter(action="catalogue.service.updated").exists()


def test_requirement_rows_keep_their_ids_when_edited(make_service, superadmin, ktp):
    kk = DocumentType.objects.create(code="kk", name="Kartu Keluarga")
    service = make_service(
        requirements=[{"document_type": ktp, "text": "Asli"}, {"document_type": kk, "text": ""}]
    )
    ktp_row, kk_row = service.requirements.order_by("position")
    # Reorder, reword one, add one: the existing rows are reused, not recreated.
    service_update(
        actor=superadmin,
        service=service,
        requirements=[
            {"document_type": "kk", "text": "Terbaru"},
            {"document_type": "ktp-el", "text": "Asli"},
            {"text": "Surat pengantar RT/RW"},
        ],
    )
    rows = list(service.requirements.order_by("position"))
    assert [r.pk for r in rows[:2]] == [kk_row.pk, ktp_row.pk]
    assert rows[0].text == "Terbaru"
    assert rows[2].text == "Surat pengantar RT/RW"
    assert ServiceVersion.objects.get(service=service, number=2).changed_fields == ["requirements"]


def test_diff_between_versions_says_what_changed(make_service, superadmin, ktp):
    service = make_service(name="Izin Keramaian", steps=["Ajukan", "Ambil"], fee_amount=0)
    service_update(actor=superadmin, service=service, steps=["Ajukan daring", "Ambil"])
    service_update(actor=superadmin, service=service, name="Izin Keramaian Umum", fee_amount=5000)
    diff = service_version_diff(service=service, from_number=1)  # to the current version
    by_field = {c.field: c for c in diff}
    assert set(by_field) == {"name", "steps", "fee_kind", "fee_amount"}
    assert by_field["name"].before == "Izin Keramaian"
    assert by_field["name"].after == "Izin Keramaian Umum"
    assert by_field["steps"].added == ["Ajukan daring"]
    assert by_field["steps"].removed == ["Ajukan"]
    assert by_field["fee_amount"].label == "Biaya (Rp)"
    assert [
        c.field for c in service_version_diff(service=service, from_number=2, to_number=2)
    ] == []
    with pytest.raises(ServiceVersion.DoesNotExist):
        service_version_diff(service=service, from_number=9)
    history = service_history(service)
    assert [v.number for v, _changes in history] == [3, 2, 1]
    assert [c.field for c in history[1][1]] == ["steps"]


def test_invalid_changes_are_refused_with_a_clear_message(make_service, superadmin):
    service = make_service()
    with pytest.raises(ValidationError) as free_with_fee:
        service_update(actor=superadmin, service=service, fee_kind="free", fee_amount=1000)
    assert "gratis" in str(free_with_fee.value).lower()
    with pytest.raises(ValidationError):
        service_update(actor=superadmin, service=service, channels=["teleportasi"])
    with pytest.raises(ValidationError):
        service_update(
            actor=superadmin, service=service, requirements=[{"document_type": "tidak-ada"}]
        )
    with pytest.raises(ValidationError):
        service_update(actor=superadmin, service=service, name="")
    service.refresh_from_db()
    assert service.version == 1


def test_a_new_amount_says_whether_the_service_is_free_or_fixed(make_service, superadmin):
    service = make_service()
    assert service.fee_kind == "free"
    assert service.is_free
    service = service_update(actor=superadmin, service=service, fee_amount=30000)
    assert service.fee_kind == "fixed"
    assert not service.is_free
    service = service_update(actor=superadmin, service=service, fee_kind="variable", fee_amount=0)
    assert service.fee_kind == "variable"
    assert not service.is_free


def test_search_document_follows_every_change(make_service, superadmin, agency):
    from shared.catalogue.selectors import service_search
    from shared.catalogue.services import agency_update

    service = make_service(name="Izin Penelitian")
    assert [s.pk for s in service_search(query="izin penelitian").results] == [service.pk]
    service_update(actor=superadmin, service=service, synonyms="surat riset, rekomendasi riset")
    assert [s.pk for s in service_search(query="rekomendasi riset").results] == [service.pk]
    agency_update(actor=superadmin, agency=agency, name="Badan Kesatuan Bangsa dan Politik")
    assert service.pk in [s.pk for s in service_search(query="kesatuan bangsa").results]
