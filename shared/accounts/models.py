"""One user table for the whole country, in ``public``. Staff roles are memberships of a region."""

from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken

from shared.regions.models import Region


def normalize_phone(value: str | None) -> str | None:
    """E.164 form of an Indonesian phone number, or None when it is not one."""
    from lokal import parse_phone

    if not value:
        return None
    info = parse_phone(value)
    return info.e164 if info.valid else None


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, *, email=None, phone=None, password=None, **extra):
        if not email and not phone:
            raise ValueError("A user needs an email address or a phone number.")
        user = self.model(
            email=self.normalize_email(email).lower() if email else None,
            phone=normalize_phone(phone) if phone else None,
            **extra,
        )
        user.set_password(password)  # type: ignore[attr-defined]  # self.model is User
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email=email, password=password, **extra)

    def create_superuser(self, email=None, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email=email, password=password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    """Citizens, regional staff and national superadmins. Sign in with email or phone."""

    email = models.EmailField(_("email"), null=True, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, null=True, blank=True, unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("akses Django admin"),
        default=False,
        help_text=_("Hanya superadmin nasional dan pengelola katalog."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    date_joined = models.DateTimeField(_("terdaftar"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(email__isnull=False) | models.Q(phone__isnull=False),
                name="user_has_email_or_phone",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or f"#{self.pk}"

    @property
    def is_superadmin(self) -> bool:
        """A KemenPANRB national superadmin."""
        return self.is_active and self.is_superuser

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else str(self)


class Role(models.TextChoices):
    DPMPTSP_ADMIN = "dpmptsp_admin", _("Admin DPMPTSP")
    SUPERVISOR = "supervisor", _("Supervisor gerai")
    OPERATOR = "operator", _("Operator")
    # The MPP's complaint officer (pengelola pengaduan, SP4N-LAPOR!): triages every complaint of
    # the region. Not in STAFF_ROLES: no access to applications, queue or the console.
    COMPLAINT_OFFICER = "complaint_officer", _("Pengelola pengaduan")


STAFF_ROLES: tuple[str, ...] = (Role.DPMPTSP_ADMIN, Role.SUPERVISOR, Role.OPERATOR)
ADMIN_ROLES: tuple[str, ...] = (Role.DPMPTSP_ADMIN,)


class Membership(models.Model):
    """A user's role in one region. Authorization always checks the membership for *this* region."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    # Set when an operator or supervisor works for one agency's booth (regional administration).
    agency_id = models.BigIntegerField(_("instansi"), null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="membership_one_per_region"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region}"


class ApiToken(AbstractAuthToken):
    """A signed-in device of the mobile app (django-rest-knox's token, swapped in).

    Only a SHA-512 digest of the token is stored; ``token_key`` is its first characters, enough
    to find the row and to show the owner which device is which. ``auth_hash`` is the user's
    session auth hash when the token was issued: a new password changes it, so every token
    issued before a password change or reset stops working, whatever path changed it.
    """

    device_name = models.CharField(_("perangkat"), max_length=100, blank=True)
    auth_hash = models.CharField(max_length=128, editable=False)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.token_key[:8]}… · {self.device_name or '-'} · {self.user}"
