"""The national service search: typos, spelling variants, synonyms, agencies, requirements,
ranking, and which live MPPs offer each result."""

import pytest

from kernel.routing import region_url
from shared.catalogue.models import ServiceAvailability
from shared.catalogue.search import SearchFilters, parse_query
from shared.catalogue.selectors import service_search
from shared.regions.models import Mpp, Region


def names(query, **filters):
    return [s.name for s in service_search(query=query, filters=SearchFilters(**filters)).results]


def codes(query, **filters):
    return [s.code for s in service_search(query=query, filters=SearchFilters(**filters)).results]


@pytest.mark.parametrize(
    "query", ["pasport", "buat paspor", "Paspor", "paspr", "bikin pasport baru"]
)
def test_passport_is_found_from_typos_and_everyday_phrasing(starter, query):
    found = codes(query)
    assert found, query
    assert found[0].startswith("imigrasi-paspor"), (query, found[:3])
    # Every passport service comes before anything else.
    passport = [c for c in found if c.startswith("imigrasi-paspor")]
    assert found[: len(passport)] == passport


def test_a_typo_is_corrected_against_the_catalogue_vocabulary(starter):
    parsed = parse_query("paspr")
    assert "paspor" in parsed.alternatives[0]
    assert parsed.corrected == "paspor"
    assert service_search(query="paspr").corrected == "paspor"


def test_an_exact_name_ranks_first(make_service):
    # Three services mention "Paspor Elektronik"; only one is named exactly that.
    make_service(name="Penerbitan Paspor Elektronik untuk Anak")
    make_service(name="Legalisasi Dokumen", summary="Untuk pemohon paspor elektronik.")
    exact = make_service(name="Paspor Elektronik")
    make_service(name="Penggantian Paspor Elektronik Rusak")
    assert names("paspor elektronik")[0] == exact.name
    assert names("PASPOR   elektronik!")[0] == exact.name
    assert names("pasport elektronik")[0] == exact.name


def test_a_name_match_ranks_above_a_requirement_match(make_service, ktp):
    by_requirement = make_service(
        name="Layanan Visa", requirements=[{"text": "Fotokopi paspor yang masih berlaku"}]
    )
    by_name = make_service(name="Penerbitan Paspor Biasa")
    found = names("paspor")
    assert found.index(by_name.name) < found.index(by_requirement.name)


def test_services_matching_every_word_come_before_those_matching_one(starter):
    found = codes("akta kelahiran")
    assert found[0] == "dukcapil-akta-kelahiran"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("akte kelahiran", "dukcapil-akta-kelahiran"),  # spelling variant
        ("akta lahir", "dukcapil-akta-kelahiran"),  # stem
        ("ijin usaha", "dpmptsp-nib-oss"),  # variant the trigram cannot bridge
        ("IMB", "dpmptsp-pbg"),  # synonym: the old name of the permit
        ("surat kelakuan baik", "polri-skck"),  # synonym
        ("sertipikat tanah", "bpn-pengecekan-sertipikat"),
        ("sertifikat tanah", "bpn-pengecekan-sertipikat"),  # variant of the official spelling
        ("e-ktp hilang", "dukcapil-ktp-el-penggantian"),
        ("perpanjang sim c", "polri-sim-c-perpanjangan"),
        ("kartu kuning", "disnaker-kartu-pencari-kerja"),
        ("pajak motor", "samsat-pkb-tahunan"),
        ("kelahran", "dukcapil-akta-kelahiran"),  # typo
    ],
)
def test_indonesian_spelling_variants_synonyms_and_typos(starter, query, expected):
    found = codes(query)
    assert expected in found[:3], (query, found[:5])


def test_search_covers_agencies_and_requirements(starter):
    by_agency = codes("imigrasi")
    assert by_agency
    assert all(c.startswith("imigrasi-") for c in by_agency[:4])
    by_requirement = codes("surat keterangan berhenti bekerja")
    assert by_requirement[0] == "bpjs-ketenagakerjaan-klaim-jht"


def test_nothing_matches_nonsense_and_fillers_alone_still_search(starter):
    assert codes("qwxzv") == []
    assert service_search(query="   ").results == []
    # Only a filler word: searched rather than dropped.
    # A dropped query would answer like the blank one above: nothing.
    assert service_search(query="layanan").results, "a query of only filler words must still search"


def test_inactive_services_are_not_found(make_service):
    service = make_service(name="Layanan Rahasia Tertutup", is_active=False)
    assert service.name not in names("rahasia tertutup")


def test_results_say_which_live_mpps_offer_the_service(starter, region_a, region_b, offer):
    from shared.catalogue.models import Service

    paspor = Service.objects.get(code="imigrasi-paspor-biasa")
    offer(paspor, region_a)
    offer(paspor, region_b)
    # A region whose MPP is not live, and one without an MPP, do not count.
    pending_region = Region.objects.get(code="35.09")
    Mpp.objects.create(region=pending_region, schema_name="mpp_35_09")
    ServiceAvailability.objects.create(service=paspor, region=pending_region, offering_id=1)
    ServiceAvailability.objects.create(
        service=paspor, region=Region.objects.get(code="35.08"), offering_id=1
    )

    result = service_search(query="paspor biasa").results[0]
    assert result.code == "imigrasi-paspor-biasa"
    assert result.live_mpp_count == 2
    assert {m.slug for m in result.live_mpps} == {"banyuwangi", "kota-probolinggo"}
    # Each links to the service's page on that region's site.
    first = result.live_mpps[0]
    assert first.url == region_url(first.slug, "/layanan/imigrasi-paspor-biasa/")

    only_east_java = service_search(query="paspor", filters=SearchFilters(province="35"))
    assert [s.code for s in only_east_java.results] == ["imigrasi-paspor-biasa"]
    elsewhere = service_search(query="paspor", filters=SearchFilters(province="13"))
    assert elsewhere.results == []


def test_results_link_to_the_region_sites(starter, region_a, offer, national_client):
    from shared.catalogue.models import Service

    offer(Service.objects.get(code="polri-skck"), region_a)
    page = national_client.get("/layanan/", {"q": "skck"})
    assert page.status_code == 200
    assert region_url("banyuwangi", "/layanan/polri-skck/") in page.content.decode()


def test_filters_by_agency_category_and_life_event(starter):
    assert set(codes("pendaftaran", agency="bpjs-kesehatan")) <= {
        "bpjs-kesehatan-pendaftaran-mandiri",
        "bpjs-kesehatan-bayi-baru-lahir",
        "bpjs-kesehatan-perubahan-data",
    }
    # A parent agency's filter covers the agencies under it.
    assert codes("paspor", agency="kemenimipas")[0].startswith("imigrasi-")
    assert codes("akta", category="kependudukan")
    by_event = codes("akta", life_event="kematian")
    assert by_event[0] == "dukcapil-akta-kematian"
    assert set(by_event) <= {"dukcapil-akta-kematian", "dukcapil-kk-perubahan"}


def test_pages_of_results(make_service):
    for n in range(25):
        make_service(name=f"Layanan Surat Domisili Nomor {n}")
    first = service_search(query="surat domisili", page_size=10)
    assert first.total == 25
    assert first.pages == 3
    assert len(first.results) == 10
    last = service_search(query="surat domisili", page=3, page_size=10)
    assert len(last.results) == 5
    beyond = service_search(query="surat domisili", page=9, page_size=10)
    assert beyond.results == []
    assert beyond.total == 25
    seen = {
        s.pk
        for p in (1, 2, 3)
        for s in service_search(query="surat domisili", page=p, page_size=10).results
    }
    assert len(seen) == 25


def test_search_query_count_does_not_grow_with_results(
    make_service, region_a, region_b, offer, django_assert_max_num_queries
):
    for n in range(30):
        service = make_service(name=f"Izin Reklame Jenis {n}")
        offer(service, region_a)
        offer(service, region_b)
    with django_assert_max_num_queries(4):
        page = service_search(query="izin reklame", page_size=30)
        assert all(s.live_mpp_count == 2 and len(s.live_mpps) == 2 for s in page.results)
    assert len(page.results) == 30


def test_every_word_must_match_before_any_word_does(starter):
    narrow = service_search(query="ktp hilang")
    assert narrow.results[0].code == "dukcapil-ktp-el-penggantian"
    assert narrow.total < service_search(query="ktp").total
    # When no service has every word, services with some of them are still found.
    assert codes("paspor gajah")[0].startswith("imigrasi-paspor")


def test_words_run_together_are_still_found(starter):
    from shared.catalogue.search import ParsedQuery, search_service_ids

    assert codes("kartukeluarga")[0].startswith("dukcapil-kk")
    # A word neither the text search nor the vocabulary knows: trigram similarity decides.
    glued = ParsedQuery(
        text="penerbitanpaspor", words=["penerbitanpaspor"], alternatives=[["penerbitanpaspor"]]
    )
    glued.prefix = [False]
    hits, total = search_service_ids(glued)
    assert total >= 1
    assert hits[0].similarity > 0
