"""Sign-up on any site with email or phone; email verification by link."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from shared.accounts.models import User
from shared.citizens import services
from shared.citizens.models import CitizenProfile, OutboxMessage

PASSWORD = "sandi-warga-2026"


def _form(**overrides):
    data = {
        "full_name": "Rina Warga",
        "email": "rina@example.id",
        "phone": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_sign_up_with_email_on_a_region_site_sends_a_verification_link(
    client_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(reverse("accounts:signup"), _form())
    assert response.status_code == 302
    assert response["Location"] == reverse("citizens:profile")
    user = User.objects.get(email="rina@example.id")
    assert CitizenProfile.objects.get(user=user).email_verified_at is None
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    assert link.startswith("http://banyuwangi.mpp.localhost")  # back to the site signed up on
    assert "rina" not in link  # the address is not in the link
    record = OutboxMessage.objects.get(channel="email", recipient="rina@example.id")
    assert record.status == OutboxMessage.Status.SENT
    # Signed in right away, on every site.
    assert client_a.get(reverse("citizens:profile")).status_code == 200


def test_verification_link_verifies_once_and_refuses_tampering(
    client_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(reverse("accounts:signup"), _form())
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    assert client_a.get(path).status_code == 200
    profile = CitizenProfile.objects.get(user__email="rina@example.id")
    assert profile.email_verified_at is not None
    assert client_a.get(path[:-3] + "xx/").status_code == 400


def test_verification_link_for_a_changed_address_is_refused(db, make_user):
    from kernel.errors import DomainError

    user = make_user(email="lama@example.id")
    token = services.email_verification_token(user)
    user.email = "baru@example.id"
    user.save()
    with pytest.raises(DomainError):
        services.email_verify(token=token)


def test_sign_up_with_phone_only_on_the_national_site(db, national_client):
    response = national_client.post(
        reverse("accounts:signup"), _form(email="", phone="0812 1111 2222")
    )
    assert response.status_code == 302
    user = User.objects.get(phone="+6281211112222")
    assert user.email is None
    assert CitizenProfile.objects.get(user=user).phone == "+6281211112222"


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"email": "", "phone": ""}, "email", "email atau nomor HP"),
        ({"phone": "12345"}, "phone", "Nomor HP tidak valid"),
        ({"password2": "lain-lagi-123"}, "password2", "tidak sama"),
        ({"password1": "123", "password2": "123"}, "password1", ""),
        ({"consent": ""}, "consent", "persetujuan"),
    ],
)
def test_sign_up_errors_are_clear(client_a, overrides, field, text):
    response = client_a.post(reverse("accounts:signup"), _form(**overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert text in " ".join(form.errors[field])
    assert not User.objects.filter(full_name="Rina Warga").exists()


def test_an_address_already_registered_is_refused(client_a, make_user):
    make_user(email="rina@example.id")
    response = client_a.post(reverse("accounts:signup"), _form(email="RINA@example.id"))
    assert response.status_code == 400
    assert "sudah terdaftar" in " ".join(response.context["form"].errors["email"])
