"""National service search bench: the search API against a plain primary-key lookup.

Runs in its own database (``bench_catalogue`` on the DATABASE_URL server, created here and dropped
at the end; the dev database is never touched). Migrates the shared schema, loads the 514 regions
and marks every MPP live (rows only: the search never reads a region's schema), loads the real
starter catalogue and generates services up to ``--services`` (default 5,000) with requirements
and steps, builds the search index with the same ``search_refresh`` every catalogue write uses,
and gives each region's MPP an availability row per service it offers.

Then, through Django's test client on the national host (URL routing, middleware, DRF,
serializers — what a citizen's request goes through), it interleaves:

- search: ``GET /api/v1/catalogue/search/?q=…`` over a mix of real citizen queries (typos,
  everyday phrasing, spelling variants, synonyms), and
- baseline: ``GET /api/v1/catalogue/services/<pk>/``, the service detail endpoint of the same API
  through the same stack (a handful of primary-key queries, serializer, middleware): the cheapest
  full API answer, so the ratio says what search costs above an ordinary API call.

Reported beside them: a single-row primary-key SELECT (``pk_query_p95_ms``), the floor of any
database-backed answer, and the search's ratio to it (``ratio_vs_pk_query``).

    make bench NAME=catalogue_search            # or: --services 5000 --requests 400

Ends with ``BENCH catalogue_search {json}``. Targets: search p95 ≤ 50 ms and ≤ 5× the detail
endpoint; exits 1 when one is missed.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from urllib.parse import unquote, urlsplit, urlunsplit

BENCH_DB = "bench_catalogue"

QUERIES = [
    "paspor",
    "pasport",
    "buat paspor",
    "perpanjang paspor",
    "akta kelahiran",
    "akte lahir",
    "ktp hilang",
    "e-ktp",
    "kartu keluarga",
    "perpanjang sim c",
    "skck",
    "surat kelakuan baik",
    "izin usaha",
    "ijin reklame",
    "izin praktek dokter",
    "sertipikat tanah",
    "sertifkat laik fungsi",
    "bpjs kesehatan",
    "npwp",
    "pajak motor",
    "balik nama",
    "air minum",
    "imb",
    "izin apotek",
    "kartu tani",
    "surat keterangan tidak mampu",
    "rekomendasi teknis",
    "izin keramaian",
    "daftar nikah",
    "klaim jht",
]

ACTIONS = [
    "Penerbitan",
    "Perpanjangan",
    "Penggantian",
    "Perubahan",
    "Pencabutan",
    "Pendaftaran",
    "Legalisasi",
    "Rekomendasi",
    "Verifikasi",
    "Pembaruan",
    "Pengesahan",
    "Pencatatan",
]
OBJECTS = [
    "Izin Usaha Perikanan",
    "Izin Reklame",
    "Tanda Daftar Gudang",
    "Sertifikat Laik Fungsi",
    "Izin Praktik Dokter",
    "Izin Praktik Bidan",
    "Izin Apotek",
    "Izin Toko Obat",
    "Izin Usaha Jasa Konstruksi",
    "Izin Operasional Sekolah",
    "Izin Trayek Angkutan",
    "Izin Penyelenggaraan Parkir",
    "Tanda Daftar Usaha Pariwisata",
    "Persetujuan Lingkungan",
    "Izin Pemakaman",
    "Rekomendasi Peil Banjir",
    "Surat Keterangan Domisili Usaha",
    "Izin Klinik Pratama",
    "Izin Optik",
    "Izin Laboratorium Klinik",
    "Sertifikat Produksi Pangan Industri Rumah Tangga",
    "Izin Usaha Simpan Pinjam",
    "Badan Hukum Koperasi",
    "Izin Lembaga Kursus",
    "Izin Satuan PAUD",
    "Izin Penelitian",
    "Kartu Nelayan",
    "Kartu Tani",
    "Izin Penangkaran Satwa",
    "Izin Pengambilan Air Tanah",
    "Izin Pembuangan Air Limbah",
    "Izin Penyimpanan Limbah B3",
    "Izin Usaha Peternakan",
    "Izin Rumah Potong Hewan",
    "Sertifikat Veteriner",
    "Izin Pertunjukan",
    "Izin Keramaian",
    "Izin Menara Telekomunikasi",
    "Izin Galian Jalan",
    "Izin Pemanfaatan Ruang Milik Jalan",
    "Izin Usaha Angkutan Barang",
    "Izin Bengkel Kendaraan",
    "Izin Pasar Rakyat",
    "Izin Toko Swalayan",
    "Izin Usaha Hotel",
    "Izin Usaha Restoran",
    "Izin Edar Pangan Olahan",
    "Surat Tanda Registrasi Perawat",
    "Izin Praktik Apoteker",
    "Izin Rumah Sakit",
    "Izin Panti Sosial",
    "Tanda Daftar Yayasan Sosial",
    "Kartu Penyandang Disabilitas",
    "Surat Keterangan Tidak Mampu",
    "Izin Pertambangan Rakyat",
    "Izin Jaringan Gas Rumah Tangga",
    "Izin Penggilingan Padi",
    "Izin Usaha Perkebunan",
    "Izin Tempat Penjualan Minuman",
    "Sertifikat Kompetensi Kerja",
]
QUALIFIERS = [
    "",
    "untuk Usaha Mikro",
    "untuk Usaha Kecil",
    "Badan Usaha",
    "Perorangan",
    "Kantor Cabang",
    "Tahap Operasional",
    "Secara Daring",
    "Lintas Kecamatan",
    "Sementara",
    "Kolektif",
]
EXTRA_AGENCIES = [
    ("dinkes", "Dinas Kesehatan", "Dinkes"),
    ("diskan", "Dinas Perikanan", "Diskan"),
    ("distan", "Dinas Pertanian dan Pangan", "Distan"),
    ("disdik", "Dinas Pendidikan", "Disdik"),
    ("dlh", "Dinas Lingkungan Hidup", "DLH"),
    ("dinsos", "Dinas Sosial", "Dinsos"),
    ("diskopukm", "Dinas Koperasi dan Usaha Mikro", "Diskop UKM"),
    ("dispar", "Dinas Pariwisata", "Dispar"),
    ("disperindag", "Dinas Perindustrian dan Perdagangan", "Disperindag"),
    ("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR"),
    ("diskominfo", "Dinas Komunikasi dan Informatika", "Diskominfo"),
    ("disnakkeswan", "Dinas Peternakan dan Kesehatan Hewan", "Disnakkeswan"),
]
FREE_TEXT_REQUIREMENTS = [
    "Surat permohonan bermeterai",
    "Denah lokasi usaha",
    "Foto lokasi usaha tampak depan",
    "Dokumen lingkungan (SPPL/UKL-UPL)",
    "Surat rekomendasi dari dinas teknis",
    "Surat pernyataan kesanggupan mematuhi ketentuan",
    "Daftar tenaga kerja dan sarana",
    "Izin lama yang akan diperpanjang",
    "Bukti pelunasan retribusi tahun sebelumnya",
    "Struktur organisasi dan susunan pengurus",
]
STEPS = [
    "Pemohon mengajukan permohonan melalui loket atau aplikasi",
    "Petugas memeriksa kelengkapan berkas",
    "Verifikasi lapangan oleh tim teknis",
    "Penetapan dan pembayaran retribusi, bila ada",
    "Penandatanganan dokumen secara elektronik",
    "Dokumen diserahkan kepada pemohon",
]


def _server_url(url: str, dbname: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + dbname))


def _admin_connection(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=unquote(parts.hostname or "") if parts.hostname else None,
        port=parts.port,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        dbname="postgres",
        autocommit=True,
    )


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench catalogue_search")
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=600, help="timed requests of each kind")
    parser.add_argument("--seed", type=int, default=20240307)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args(argv)

    original_url = os.environ["DATABASE_URL"]
    with _admin_connection(original_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    # Everything below runs against the bench database only.
    os.environ["DATABASE_URL"] = _server_url(original_url, BENCH_DB)
    os.environ.setdefault("MPP_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp_platform.settings")
    try:
        return _run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with _admin_connection(original_url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def _generate(args, rng: random.Random) -> dict:
    from django.db import connection, transaction

    from shared.catalogue.models import (
        Agency,
        DocumentType,
        LifeEvent,
        ProcedureStep,
        Requirement,
        Service,
        ServiceAvailability,
    )
    from shared.catalogue.search import search_refresh
    from shared.catalogue.services import catalogue_load_starter
    from shared.regions.models import Mpp, Region
    from shared.regions.services import regions_load

    t0 = time.monotonic()
    regions_load()
    regions = list(Region.objects.order_by("code"))
    Mpp.objects.bulk_create(
        [Mpp(region=r, schema_name=r.schema_name, status=Mpp.Status.LIVE) for r in regions]
    )
    catalogue_load_starter()
    starter_ids = list(Service.objects.values_list("pk", flat=True))

    with transaction.atomic():
        agencies = list(Agency.objects.all())
        agencies += Agency.objects.bulk_create(
            [
                Agency(code=code, name=name, abbreviation=abbr, kind=Agency.Kind.REGIONAL_OFFICE)
                for code, name, abbr in EXTRA_AGENCIES
            ]
        )
        documents = list(DocumentType.objects.all())
        events = list(LifeEvent.objects.all())
        names = [
            " ".join(p for p in (a, o, q) if p)
            for a in ACTIONS
            for o in OBJECTS
            for q in QUALIFIERS
        ]
        rng.shuffle(names)
        wanted = max(0, args.services - len(starter_ids))
        if wanted > len(names):
            names += [f"{n} Tipe {i}" for i, n in enumerate(names * (wanted // len(names)))]
        new = []
        for i, name in enumerate(names[:wanted]):
            fee = rng.choice([0, 0, 0, 25000, 50000, 100000, 150000])
            new.append(
                Service(
                    code=f"bench-{i:05d}",
                    name=name,
                    agency=rng.choice(agencies),
                    summary=f"{name} sesuai standar pelayanan daerah.",
                    synonyms=", ".join(
                        rng.sample(["izin", "ijin", "perizinan", "rekomendasi", "surat"], 2)
                    ),
                    completion_days=rng.choice([1, 3, 5, 7, 14]),
                    fee_kind="fixed" if fee else "free",
                    fee_amount=fee,
                    fee_basis="Perda kabupaten/kota tentang retribusi daerah" if fee else "Gratis",
                    product=f"Dokumen {name.lower()}",
                    complaint_handling="Loket pengaduan MPP dan SP4N-LAPOR!",
                    legal_basis="Perda kabupaten/kota tentang penyelenggaraan perizinan",
                    channels=rng.choice([["queue", "walk_in"], ["online", "queue", "walk_in"]]),
                )
            )
        created = Service.objects.bulk_create(new, batch_size=1000)
        requirements, steps, through = [], [], []
        Through = Service.life_events.through
        for service in created:
            for pos, doc in enumerate(rng.sample(documents, rng.randint(1, 3))):
                requirements.append(Requirement(service=service, position=pos, document_type=doc))
            for pos, text in enumerate(rng.sample(FREE_TEXT_REQUIREMENTS, rng.randint(1, 3)), 3):
                requirements.append(Requirement(service=service, position=pos, text=text))
            for pos, text in enumerate(rng.sample(STEPS, rng.randint(3, 5))):
                steps.append(ProcedureStep(service=service, position=pos, text=text))
            for event in rng.sample(events, rng.randint(0, 2)):
                through.append(Through(service_id=service.pk, lifeevent_id=event.pk))
        Requirement.objects.bulk_create(requirements, batch_size=2000)
        ProcedureStep.objects.bulk_create(steps, batch_size=2000)
        Through.objects.bulk_create(through, batch_size=2000)
    generate_s = time.monotonic() - t0

    t0 = time.monotonic()
    with transaction.atomic():
        indexed = search_refresh()
    index_s = time.monotonic() - t0

    # Each region's MPP offers most of the common services and a random share of the rest.
    generated_ids = [s.pk for s in created]
    rows = []
    for region in regions:
        offered = {pk for pk in starter_ids if rng.random() < 0.7}
        offered.update(rng.sample(generated_ids, min(len(generated_ids), rng.randint(20, 120))))
        rows += [
            ServiceAvailability(
                service_id=pk, region=region, offering_id=pk, channels=["queue", "walk_in"]
            )
            for pk in offered
        ]
    ServiceAvailability.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "services": Service.objects.count(),
        "regions": len(regions),
        "availability_rows": len(rows),
        "indexed": indexed,
        "generate_s": round(generate_s, 1),
        "index_build_s": round(index_s, 1),
    }


def _run(args) -> int:
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from shared.catalogue.models import Service
    from shared.catalogue.selectors import service_search

    rng = random.Random(args.seed)
    t0 = time.monotonic()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    print(f"schema migrated in {time.monotonic() - t0:.1f} s; generating …", flush=True)
    data = _generate(args, rng)
    print(
        f"{data['services']} services, {data['regions']} regions, "
        f"{data['availability_rows']} availability rows; generated in {data['generate_s']} s, "
        f"search index built in {data['index_build_s']} s",
        flush=True,
    )

    client = Client(HTTP_HOST=settings.MPP_BASE_DOMAIN)
    ids = list(Service.objects.values_list("pk", flat=True))

    def search(query: str):
        response = client.get("/api/v1/catalogue/search/", {"q": query})
        assert response.status_code == 200, response.content[:300]
        return response

    def lookup(pk: int):
        response = client.get(f"/api/v1/catalogue/services/{pk}/")
        assert response.status_code == 200, response.content[:300]
        return response

    # Correctness on the big catalogue, and a warm-up of every query.
    assert search("pasport").json()["results"][0]["code"].startswith("imigrasi-paspor")
    assert search("buat paspor").json()["results"][0]["code"].startswith("imigrasi-paspor")
    for query in QUERIES:
        search(query)
    for pk in rng.sample(ids, 50):
        lookup(pk)

    def count_queries(call) -> tuple[int, object]:
        seen = []

        def wrapper(execute, sql, params, many, context):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(wrapper):
            result = call()
        return len(seen), result

    search_sql, body = count_queries(lambda: search("izin usaha").json())
    lookup_sql, _ = count_queries(lambda: lookup(ids[0]))

    search_ms, lookup_ms, counts = [], [], []
    for i in range(args.requests):
        query = QUERIES[i % len(QUERIES)]
        t = time.perf_counter()
        response = search(query)
        search_ms.append((time.perf_counter() - t) * 1000)
        counts.append(response.json()["count"])
        pk = rng.choice(ids)
        t = time.perf_counter()
        lookup(pk)
        lookup_ms.append((time.perf_counter() - t) * 1000)

    # The floor: one single-row primary-key SELECT, no HTTP, no serializer.
    pk_ms = []
    for _ in range(args.requests):
        pk = rng.choice(ids)
        t = time.perf_counter()
        Service.objects.filter(pk=pk).values_list("code", flat=True).first()
        pk_ms.append((time.perf_counter() - t) * 1000)

    # The same search without HTTP, for reference: selector + serializer cost only.
    orm_ms = []
    for i in range(200):
        t = time.perf_counter()
        service_search(query=QUERIES[i % len(QUERIES)])
        orm_ms.append((time.perf_counter() - t) * 1000)

    p95 = _percentile(search_ms, 0.95)
    baseline_p95 = _percentile(lookup_ms, 0.95)
    result = {
        "p95_ms": round(p95, 2),
        "p50_ms": round(statistics.median(search_ms), 2),
        "baseline_p95_ms": round(baseline_p95, 2),
        "baseline_p50_ms": round(statistics.median(lookup_ms), 2),
        "baseline": "service detail endpoint, same HTTP stack",
        "ratio_p95": round(p95 / baseline_p95, 2) if baseline_p95 else None,
        "pk_query_p95_ms": round(_percentile(pk_ms, 0.95), 3),
        "ratio_vs_pk_query": round(p95 / _percentile(pk_ms, 0.95), 1),
        "services": data["services"],
        "regions": data["regions"],
        "availability_rows": data["availability_rows"],
        "requests": len(search_ms),
        "distinct_queries": len(QUERIES),
        "median_results": statistics.median(counts),
        "search_sql_queries": search_sql,
        "lookup_sql_queries": lookup_sql,
        "selector_p95_ms": round(_percentile(orm_ms, 0.95), 2),
        "index_build_s": data["index_build_s"],
        "target_met": p95 <= 50 and (baseline_p95 == 0 or p95 <= 5 * baseline_p95),
        "results_for_izin_usaha": body["count"],
    }
    print(
        f"targets: search p95 {p95:.1f} ms ≤ 50 ms; ratio to the detail endpoint "
        f"{result['ratio_p95']}× ≤ 5× -> {'met' if result['target_met'] else 'MISSED'}",
        flush=True,
    )
    print("BENCH catalogue_search " + json.dumps(result), flush=True)
    return 0 if result["target_met"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
