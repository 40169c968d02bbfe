from django.contrib.auth.backends import ModelBackend

from shared.accounts.models import User, normalize_phone


class EmailOrPhoneBackend(ModelBackend):
    """Sign in with an email address or an Indonesian phone number (any common spelling)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        identifier = (username or kwargs.get("email") or kwargs.get("phone") or "").strip()
        if not identifier or password is None:
            return None
        if "@" in identifier:
            user = User.objects.filter(email__iexact=identifier).first()
        else:
            phone = normalize_phone(identifier)
            user = User.objects.filter(phone=phone).first() if phone else None
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
