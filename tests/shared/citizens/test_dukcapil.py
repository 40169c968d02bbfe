"""The Dukcapil verification adapter: one contract, run against every shipped implementation,
and verification through it (a service that is down loses nothing)."""

import datetime as dt

import pytest

from kernel.errors import DomainError
from shared.citizens import dukcapil, services
from shared.citizens.demo import civil_registry_add
from tests.shared.citizens.conftest import NIK_BUDI, NIK_SITI

ADAPTERS = [dukcapil.LocalRegistryAdapter, dukcapil.UnavailableAdapter]


@pytest.fixture
def registered(db):
    civil_registry_add(nik=NIK_SITI, full_name="Siti Aminah", birth_date=dt.date(1990, 1, 1))


@pytest.mark.parametrize("adapter_class", ADAPTERS)
def test_contract(adapter_class, registered):
    from shared.citizens.models import CivilRegistryEntry

    adapter = adapter_class()
    assert isinstance(adapter, dukcapil.DukcapilAdapter)
    before = CivilRegistryEntry.objects.count()
    calls = [
        (NIK_SITI, "siti  AMINAH", dt.date(1990, 1, 1)),
        (NIK_SITI, "Siti Aminah", dt.date(1990, 1, 2)),
        (NIK_SITI, "Siti Rahma", dt.date(1990, 1, 1)),
        (NIK_BUDI, "Budi", dt.date(1985, 8, 15)),
    ]
    if adapter_class is dukcapil.UnavailableAdapter:
        with pytest.raises(dukcapil.DukcapilUnavailable) as exc:
            adapter.verify(nik=NIK_SITI, full_name="Siti Aminah", birth_date=dt.date(1990, 1, 1))
        assert exc.value.status_code == 503
        assert "Profil Anda tetap tersimpan" in exc.value.message
    else:
        answers = [adapter.verify(nik=n, full_name=f, birth_date=b) for n, f, b in calls]
        assert answers == [dukcapil.MATCH, dukcapil.MISMATCH, dukcapil.MISMATCH, dukcapil.NOT_FOUND]
    assert CivilRegistryEntry.objects.count() == before  # verification is a read


def test_a_match_verifies_the_nik(registered, make_citizen):
    user, profile = make_citizen(nik=NIK_SITI)
    profile.full_name = "Siti Aminah"
    profile.save()
    services.nik_verify_dukcapil(actor=user, profile=profile)
    profile.refresh_from_db()
    assert profile.nik_status == "verified"
    assert profile.nik_verified_method == "dukcapil"


def test_a_mismatch_or_unknown_nik_is_explained(registered, make_citizen):
    user, profile = make_citizen(nik=NIK_SITI)  # full_name "Pengguna n": not the register's
    with pytest.raises(DomainError) as exc:
        services.nik_verify_dukcapil(actor=user, profile=profile)
    assert exc.value.code == "dukcapil_mismatch"
    other, budi = make_citizen(nik=NIK_BUDI)
    with pytest.raises(DomainError) as exc:
        services.nik_verify_dukcapil(actor=other, profile=budi)
    assert exc.value.code == "dukcapil_not_found"


def test_a_service_that_is_down_keeps_the_profile(client_a, make_citizen, settings):
    from django.urls import reverse

    settings.MPP_DUKCAPIL_ADAPTER = "shared.citizens.dukcapil.UnavailableAdapter"
    user, profile = make_citizen(nik=NIK_SITI)
    client_a.force_login(user)
    page = client_a.post(reverse("citizens:nik_dukcapil"), follow=True).content.decode()
    assert "tidak dapat dihubungi" in page
    profile.refresh_from_db()
    assert profile.nik == NIK_SITI
    assert profile.nik_status == "declared"
    api = client_a.get("/api/v1/citizen/profile/")
    assert api.status_code == 200
    assert api.json()["nik"] == NIK_SITI  # the profile is kept, as the API shows it
