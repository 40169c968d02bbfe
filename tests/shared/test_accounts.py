import pytest
from django.conf import settings

from shared.accounts.models import Role, User


@pytest.mark.django_db
def test_sign_in_with_email_or_phone(national_client):
    User.objects.create_user(
        email="ani@example.id", phone="0812-3456-7890", password="sandi-rahasia-1"
    )
    for identifier in ("ani@example.id", "ANI@example.id", "081234567890", "+62 812 3456 7890"):
        national_client.logout()
        response = national_client.post(
            "/akun/masuk/", {"username": identifier, "password": "sandi-rahasia-1"}
        )
        assert response.status_code == 302, identifier
        assert national_client.get("/api/v1/me/").json()["email"] == "ani@example.id"


@pytest.mark.django_db
def test_wrong_password_gets_a_clear_message_in_indonesian(national_client):
    User.objects.create_user(email="ani@example.id", password="sandi-rahasia-1")
    response = national_client.post("/akun/masuk/", {"username": "ani@example.id", "password": "x"})
    assert response.status_code == 200
    assert "kata sandi salah" in response.content.decode()


@pytest.mark.django_db
def test_one_sign_in_works_across_two_region_hosts(client_a, region_a, region_b):
    User.objects.create_user(email="budi@example.id", password="sandi-rahasia-1")
    response = client_a.post(
        "/akun/masuk/", {"username": "budi@example.id", "password": "sandi-rahasia-1"}
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # The cookie is for the parent domain, so the browser sends it to every region's host.
    assert cookie["domain"] == settings.SESSION_COOKIE_DOMAIN == "mpp.localhost"
    me_b = client_a.get("/api/v1/me/", HTTP_HOST=f"{region_b.region.slug}.mpp.localhost")
    assert me_b.status_code == 200
    assert me_b.json()["email"] == "budi@example.id"


def test_admin_of_one_region_is_refused_on_another_regions_admin_api(
    make_user, region_a, region_b, client_a, client_b
):
    admin_a = make_user(role=Role.DPMPTSP_ADMIN, region=region_a)
    make_user(role=Role.OPERATOR, region=region_b)
    client_a.force_login(admin_a)
    own = client_a.get("/api/v1/admin/members/")
    assert own.status_code == 200
    assert [m["email"] for m in own.json()["results"]] == [admin_a.email]
    client_b.force_login(admin_a)
    assert client_b.get("/api/v1/admin/members/").status_code == 404


def test_operator_and_anonymous_are_refused_the_admin_api(make_user, region_a, client_a):
    operator = make_user(role=Role.OPERATOR, region=region_a)
    assert client_a.get("/api/v1/admin/members/").status_code == 404
    client_a.force_login(operator)
    assert client_a.get("/api/v1/admin/members/").status_code == 404


def test_token_authentication(make_user, region_a, client_a):
    from tests.conftest import issue_api_token

    admin = make_user(role=Role.DPMPTSP_ADMIN, region=region_a)
    token = issue_api_token(admin)
    response = client_a.get("/api/v1/admin/members/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert admin.email in str(rows)  # the region's members, the token's owner among them


def test_member_list_query_count_is_bounded(
    make_user, region_a, client_a, django_assert_max_num_queries
):
    admin = make_user(role=Role.DPMPTSP_ADMIN, region=region_a)
    for _ in range(10):
        make_user(role=Role.OPERATOR, region=region_a)
    client_a.force_login(admin)
    client_a.get("/api/v1/admin/members/")  # the session learns its roles once
    # 8 for the list and the session, +1: the verified second-factor device (django-otp).
    with django_assert_max_num_queries(9):
        response = client_a.get("/api/v1/admin/members/")
    assert response.json()["count"] == 11


@pytest.mark.django_db
def test_password_reset_sends_a_link(national_client, mailoutbox):
    User.objects.create_user(email="citra@example.id", password="sandi-rahasia-1")
    response = national_client.post("/akun/lupa-sandi/", {"email": "citra@example.id"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/akun/atur-sandi/" in mailoutbox[0].body


@pytest.mark.django_db
def test_pages_in_english_on_request(national_client):
    response = national_client.get("/akun/masuk/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign in" in response.content.decode()
    response = national_client.get("/akun/masuk/")
    assert "Masuk" in response.content.decode()
