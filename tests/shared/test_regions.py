import pytest

from shared.regions.models import Province, Region
from shared.regions.services import region_slugs, regions_load


@pytest.mark.django_db
def test_all_provinces_and_regions_are_loaded():
    assert Province.objects.count() == 38
    assert Region.objects.count() == 514
    assert Region.objects.filter(kind="kota").count() == 98
    assert Region.objects.get(code="35.10").name == "Kabupaten Banyuwangi"
    assert Region.objects.get(code="13.75").name == "Kota Bukittinggi"


@pytest.mark.django_db
def test_loading_is_idempotent():
    before = list(Region.objects.order_by("code").values_list("code", "slug", "name"))
    regions_load()
    after = list(Region.objects.order_by("code").values_list("code", "slug", "name"))
    assert before == after


@pytest.mark.django_db
def test_slugs_are_unique_readable_and_tell_twins_apart():
    slugs = dict(Region.objects.values_list("code", "slug"))
    assert len(set(slugs.values())) == 514
    assert slugs["35.10"] == "banyuwangi"
    assert slugs["35.13"] == "kab-probolinggo"
    assert slugs["35.74"] == "kota-probolinggo"
    assert slugs["13.75"] == "bukittinggi"
    assert all(len(s) <= 63 and s == s.lower() for s in slugs.values())


def test_same_name_same_kind_in_two_provinces_gets_the_province():
    rows = [
        ("11.01", "Kabupaten Sama", "kabupaten", "Aceh"),
        ("12.01", "Kabupaten Sama", "kabupaten", "Sumatera Utara"),
        ("12.71", "Kota Sama", "kota", "Sumatera Utara"),
    ]
    slugs = region_slugs(rows)
    assert slugs == {
        "11.01": "kab-sama-aceh",
        "12.01": "kab-sama-sumatera-utara",
        "12.71": "kota-sama",
    }
