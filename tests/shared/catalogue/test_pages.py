"""The national site's catalogue pages: public, Bahasa Indonesia, mobile-first, no JavaScript."""

import pytest

from kernel.routing import region_url
from shared.catalogue.models import Service


def test_landing_page_has_the_search_box_and_keeps_the_live_mpps(
    starter, national_client, region_a
):
    html = national_client.get("/").content.decode()
    assert 'action="/layanan/"' in html
    assert 'name="q"' in html
    assert 'href="/instansi/"' in html
    assert "Kelahiran anak" in html  # browse by life event
    assert region_url("banyuwangi", "/") in html  # the live MPPs by province stay


def test_search_page_finds_services_and_the_mpps_that_offer_them(
    starter, national_client, region_a, offer
):
    offer(Service.objects.get(code="imigrasi-paspor-biasa"), region_a)
    response = national_client.get("/layanan/", {"q": "buat pasport"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Penerbitan Paspor Biasa Non-Elektronik 48 Halaman" in html
    assert "Tersedia di 1 MPP" in html
    assert f'href="{region_url("banyuwangi", "/layanan/imigrasi-paspor-biasa/")}"' in html
    assert "Rp350.000" in html
    assert 'lang="id"' in html
    assert '<label for="id_q">' in html


def test_search_page_without_a_query_browses(starter, national_client):
    html = national_client.get("/layanan/").content.decode()
    assert "Menurut peristiwa hidup" in html
    assert "Menurut kategori" in html
    by_event = national_client.get("/layanan/", {"life_event": "kelahiran"}).content.decode()
    assert "Pencatatan Kelahiran dan Penerbitan Akta Kelahiran" in by_event
    nothing = national_client.get("/layanan/", {"q": "zzqqxx"}).content.decode()
    assert "Tidak ada layanan yang cocok" in nothing
    # An unknown filter value is a form error, not a 500.
    assert national_client.get("/layanan/", {"agency": "tidak-ada"}).status_code == 200


def test_service_page_shows_the_full_published_standard(
    starter, national_client, region_a, region_b, offer
):
    paspor = Service.objects.get(code="imigrasi-paspor-biasa")
    offer(paspor, region_a)
    offer(paspor, region_b)
    response = national_client.get("/layanan/imigrasi-paspor-biasa/")
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "1. Persyaratan",
        "2. Sistem, mekanisme, dan prosedur",
        "3. Jangka waktu penyelesaian",
        "4. Biaya/tarif",
        "5. Produk pelayanan",
        "6. Penanganan pengaduan, saran, dan masukan",
        "Dasar hukum",
        "Kanal layanan",
    ):
        assert heading in html, heading
    assert "Rp350.000" in html
    assert "4 hari kerja" in html
    assert "UU No. 6 Tahun 2011 tentang Keimigrasian" in html
    assert "Permohonan daring" in html
    assert "Booking antrean" in html
    assert "Jawa Timur" in html
    assert region_url("banyuwangi", "/layanan/imigrasi-paspor-biasa/") in html
    assert region_url("kota-probolinggo", "/layanan/imigrasi-paspor-biasa/") in html
    assert "Versi 1" in html


def test_service_page_of_a_free_service_and_no_mpp_yet(starter, national_client):
    html = national_client.get("/layanan/dukcapil-akta-kelahiran/").content.decode()
    assert "Gratis" in html
    assert "79A" in html
    assert "Belum ada MPP Digital yang membuka layanan ini" in html


def test_unknown_and_inactive_services_are_404(starter, national_client, superadmin):
    from shared.catalogue.services import service_update

    assert national_client.get("/layanan/tidak-ada/").status_code == 404
    service_update(
        actor=superadmin, service=Service.objects.get(code="dishub-uji-kir"), is_active=False
    )
    assert national_client.get("/layanan/dishub-uji-kir/").status_code == 404
    assert national_client.get("/layanan/dishub-uji-kir/riwayat/").status_code == 404


def test_history_page_shows_what_changed(starter, national_client, superadmin):
    from shared.catalogue.services import service_update

    skck = Service.objects.get(code="polri-skck")
    service_update(actor=superadmin, service=skck, completion_days=2, note="Penyesuaian SOP")
    html = national_client.get("/layanan/polri-skck/riwayat/").content.decode()
    assert "Versi 2" in html
    assert "Penyesuaian SOP" in html
    assert "Jangka waktu (hari kerja)" in html
    assert str(superadmin) not in html  # who changed it is for superadmins, not the public


def test_agency_pages(starter, national_client):
    listing = national_client.get("/instansi/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Kementerian/Lembaga" in html
    assert "BUMN/BUMD" in html
    assert "Bank" in html
    assert "Kantor Imigrasi" in html
    detail = national_client.get("/instansi/kemenimipas/").content.decode()
    # A parent agency lists the services of the units under it.
    assert "Penerbitan Paspor Elektronik 48 Halaman" in detail
    assert national_client.get("/instansi/tidak-ada/").status_code == 404


def test_catalogue_pages_exist_only_on_the_national_host(starter, client_a):
    assert client_a.get("/instansi/").status_code == 404


@pytest.mark.parametrize(
    ("path", "params", "limit"),
    [
        ("/", {}, 8),
        ("/layanan/", {"q": "surat"}, 12),
        ("/layanan/", {"category": "kependudukan"}, 12),
        ("/layanan/dukcapil-ktp-el-baru/", {}, 10),
        ("/instansi/", {}, 4),
        ("/instansi/dukcapil/", {}, 6),
    ],
)
def test_page_query_counts_do_not_grow_with_mpps(
    starter,
    national_client,
    region_a,
    region_b,
    offer,
    django_assert_max_num_queries,
    path,
    params,
    limit,
):
    for service in Service.objects.all():
        offer(service, region_a)
        offer(service, region_b)
    with django_assert_max_num_queries(limit):
        assert national_client.get(path, params).status_code == 200
