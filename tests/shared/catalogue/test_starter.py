"""The starter catalogue: real services as published by their agencies."""

from decimal import Decimal

from shared.catalogue.models import Agency, FeeKind, Service


def test_size_and_breadth(starter):
    services = Service.objects.all()
    assert services.count() >= 40
    assert services.values("agency").distinct().count() >= 12
    for service in services.prefetch_related("requirements", "steps"):
        assert service.requirements.all(), service.code
        assert service.steps.all(), service.code
        assert service.product, service.code
        assert service.complaint_handling, service.code
        assert service.legal_basis, service.code
        assert service.channels, service.code
        assert service.fee_basis, service.code
        assert service.versions.count() == 1


def test_published_fees(starter):
    fee = dict(Service.objects.values_list("code", "fee_amount"))
    assert fee["imigrasi-paspor-biasa"] == Decimal(350000)  # PP 28/2019
    assert fee["imigrasi-paspor-elektronik"] == Decimal(650000)
    assert fee["polri-sim-a-perpanjangan"] == Decimal(80000)  # PP 76/2020
    assert fee["polri-sim-c-perpanjangan"] == Decimal(75000)
    assert fee["polri-skck"] == Decimal(30000)
    assert fee["bpn-pengecekan-sertipikat"] == Decimal(50000)  # PP 128/2015
    free = set(Service.objects.filter(fee_kind=FeeKind.FREE).values_list("code", flat=True))
    assert {
        "dukcapil-ktp-el-baru",
        "dukcapil-kk-baru",
        "dukcapil-akta-kelahiran",
        "dukcapil-akta-kematian",
        "dukcapil-pindah-datang",
        "djp-npwp-orang-pribadi",
        "dpmptsp-nib-oss",
    } <= free
    assert Service.objects.get(code="samsat-pkb-tahunan").fee_kind == FeeKind.VARIABLE


def test_legal_bases_are_cited(starter):
    assert "79A" in Service.objects.get(code="dukcapil-ktp-el-baru").fee_basis
    assert "PP No. 76 Tahun 2020" in Service.objects.get(code="polri-skck").legal_basis
    assert "PP No. 28 Tahun 2019" in Service.objects.get(code="imigrasi-paspor-biasa").legal_basis
    assert "PP No. 16 Tahun 2021" in Service.objects.get(code="dpmptsp-pbg").legal_basis


def test_agency_tree(starter):
    assert Agency.objects.get(code="imigrasi").parent.code == "kemenimipas"
    assert Agency.objects.get(code="djp").parent.code == "kemenkeu"
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert kinds == set(Agency.Kind.values)
