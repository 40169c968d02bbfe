"""The citizen's pages: profile once for every region, "Permohonan saya" across regions, the
access log, and forms that survive an expired session."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from shared.citizens import services
from shared.citizens.models import AccessAction, ApplicationIndex, ApplicationStatus
from tests.shared.citizens.conftest import NIK_SITI

PROFILE_POST = {
    "nik": "3510 0141 0190 0001",
    "full_name": "Siti Aminah",
    "birth_place": "Banyuwangi",
    "birth_date": "1990-01-01",
    "address_line": "Jl. Ahmad Yani 1",
    "regency_code": "35.10",
    "district_code": "35.10.01",
    "village_code": "",
    "postal_code": "68488",
    "phone": "081234567890",
}


def test_profile_entered_on_one_site_shows_on_another(client_a, client_b, make_citizen):
    user, profile = make_citizen(complete=False)
    client_a.force_login(user)
    response = client_a.post(reverse("citizens:profile"), PROFILE_POST)
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.nik == NIK_SITI
    client_b.force_login(user)
    page = client_b.get(reverse("citizens:profile")).content.decode()
    assert "Siti Aminah" in page
    assert "Profil lengkap" in page


def test_inconsistent_nik_shows_field_errors_and_keeps_input(client_a, make_citizen):
    user, _profile = make_citizen(complete=False)
    client_a.force_login(user)
    response = client_a.post(
        reverse("citizens:profile"), {**PROFILE_POST, "birth_date": "1990-02-01"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "tersandi di NIK" in " ".join(form.errors["birth_date"])
    page = response.content.decode()
    assert 'value="Siti Aminah"' in page
    assert 'name="confirm_birth_date"' in page  # the confirmation is offered right there
    confirmed = client_a.post(
        reverse("citizens:profile"),
        {**PROFILE_POST, "birth_date": "1990-02-01", "confirm_birth_date": "on"},
    )
    assert confirmed.status_code == 302


def test_profile_redirects_back_to_the_form_that_sent_the_citizen(client_a, make_citizen):
    user, _profile = make_citizen(complete=False)
    client_a.force_login(user)
    response = client_a.post(
        reverse("citizens:profile"), {**PROFILE_POST, "next": "/permohonan/baru/1/"}
    )
    assert response["Location"] == "/permohonan/baru/1/"
    response = client_a.post(
        reverse("citizens:profile"), {**PROFILE_POST, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("citizens:profile")


def test_expired_session_keeps_the_typed_profile_for_the_same_person(client_a, make_citizen):
    from shared.citizens.formstash import form_owner_token

    user, _profile = make_citizen(complete=False, password="rahasia-123")
    data = {**PROFILE_POST, "form_owner": form_owner_token(user)}
    # Not signed in any more: the POST is kept and the citizen is sent to sign in.
    response = client_a.post(reverse("citizens:profile"), data)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    client_a.post(reverse("accounts:login"), {"username": user.email, "password": "rahasia-123"})
    page = client_a.get(reverse("citizens:profile"))
    assert page.context["form"].data["full_name"] == "Siti Aminah"
    assert "dipulihkan" in page.content.decode()
    # Given back once only.
    assert not client_a.get(reverse("citizens:profile")).context["form"].is_bound


def test_kept_form_is_not_given_to_someone_else(client_a, make_citizen):
    from shared.citizens.formstash import form_owner_token

    owner, _ = make_citizen(complete=False)
    other, _ = make_citizen(complete=False, password="rahasia-123")
    client_a.post(
        reverse("citizens:profile"), {**PROFILE_POST, "form_owner": form_owner_token(owner)}
    )
    client_a.post(reverse("accounts:login"), {"username": other.email, "password": "rahasia-123"})
    assert not client_a.get(reverse("citizens:profile")).context["form"].is_bound


def test_wilayah_options(client_a, db):
    data = client_a.get(reverse("citizens:wilayah_options"), {"induk": "35.10"}).json()
    assert {"code": "35.10.01", "name": "Pesanggaran"} in data["options"]
    assert client_a.get(reverse("citizens:wilayah_options"), {"induk": "x;"}).json() == {
        "options": []
    }


def _index(profile, region, application_id, status, number=None):
    return ApplicationIndex.objects.create(
        region=region,
        application_id=application_id,
        profile=profile,
        number=number,
        offering_name=f"Layanan {application_id}",
        status=status,
        timeline=[{"status": status, "at": timezone.now().isoformat()}],
        updated_at=timezone.now(),
    )


def test_my_applications_lists_every_region_from_the_index(
    national_client, make_citizen, region_a, region_b, django_assert_max_num_queries
):
    user, profile = make_citizen()
    _other, other_profile = make_citizen(nik="3510011508850002")
    _index(profile, region_a.region, 1, ApplicationStatus.SUBMITTED, "3510-2026-000001")
    _index(profile, region_b.region, 2, ApplicationStatus.DRAFT)
    for n in range(3, 13):
        _index(profile, region_b.region, n, ApplicationStatus.COMPLETED, f"3574-2026-0000{n:02d}")
    _index(other_profile, region_a.region, 99, ApplicationStatus.SUBMITTED, "3510-2026-000099")
    national_client.force_login(user)
    with django_assert_max_num_queries(8):
        page = national_client.get(reverse("citizens:applications")).content.decode()
    assert "3510-2026-000001" in page
    assert "http://kota-probolinggo.mpp.localhost:8000/permohonan/2/ubah/" in page
    assert "3510-2026-000099" not in page


def test_access_log_page_shows_who_where_and_when(client_a, make_citizen, make_user, region_a):
    from shared.accounts.models import Role

    user, profile = make_citizen()
    operator = make_user(role=Role.OPERATOR, region=region_a, full_name="Budi Operator")
    services.access_log_record(
        profile=profile,
        actor=operator,
        role=Role.OPERATOR,
        region=region_a.region,
        action=AccessAction.APPLICATION_OPENED,
        booth_id=3,
        booth_name="Gerai Dukcapil",
        reference="3510-2026-000001",
    )
    client_a.force_login(user)
    page = client_a.get(reverse("citizens:access_log")).content.decode()
    assert "Budi Operator" in page
    assert "Operator" in page
    assert "Gerai Dukcapil" in page
    assert "Kabupaten Banyuwangi" in page
    assert NIK_SITI not in page
    other, _ = make_citizen(nik="3510011508850002")
    client_a.force_login(other)
    assert "Budi Operator" not in client_a.get(reverse("citizens:access_log")).content.decode()


def test_pages_need_sign_in(client_a, db):
    for name in ("profile", "vault", "applications", "access_log", "claim"):
        response = client_a.get(reverse(f"citizens:{name}"))
        assert response.status_code == 302, name
        assert reverse("accounts:login") in response["Location"]


def test_profile_page_is_accessible(client_a, make_citizen):
    user, _profile = make_citizen(complete=False)
    client_a.force_login(user)
    page = client_a.get(reverse("citizens:profile")).content.decode()
    for field in ("id_nik", "id_birth_date", "id_regency_code", "id_phone"):
        assert f'for="{field}"' in page
    assert 'lang="id"' in page


def test_birth_date_renders_as_iso_for_the_date_input(client_a, make_citizen):
    user, profile = make_citizen()
    assert profile.birth_date == dt.date(1990, 1, 1)
    client_a.force_login(user)
    assert 'value="1990-01-01"' in client_a.get(reverse("citizens:profile")).content.decode()
