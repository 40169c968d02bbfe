"""The citizen's side, in ``public``: one profile and one document vault for every region.

Region schemas hold the applications themselves; what national pages need about them lives here
in ``ApplicationIndex`` (one small row per application, written by the regional services in the
same transaction as the change), so no national page ever queries a region's schema.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kernel.files import PUBLIC_SCHEMA, extension_for, private_path, private_storage


class ApplicationStatus(models.TextChoices):
    """The status vocabulary of an application, shared by the regional app and the public index."""

    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Perlu perbaikan")
    VERIFIED = "verified", _("Terverifikasi")
    PROCESSING = "processing", _("Diproses")
    COMPLETED = "completed", _("Selesai")
    REJECTED = "rejected", _("Ditolak")


#: Statuses in which the region still owes the citizen work (the due date runs).
OPEN_STATUSES: tuple[str, ...] = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.VERIFIED,
    ApplicationStatus.PROCESSING,
)
FINAL_STATUSES: tuple[str, ...] = (ApplicationStatus.COMPLETED, ApplicationStatus.REJECTED)


class ResultKind(models.TextChoices):
    DOCUMENT = "document", _("Dokumen hasil dapat diunduh")
    PICKUP = "pickup", _("Siap diambil di gerai")


class Gender(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class CitizenProfile(models.Model):
    """One citizen (one NIK). ``user`` is empty for a walk-in citizen registered at a counter
    who has no account yet; they claim their applications later with a claim code."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="citizen_profile",
    )
    nik = models.CharField(_("NIK"), max_length=16, null=True, blank=True, unique=True)
    full_name = models.CharField(_("nama lengkap sesuai KTP-el"), max_length=150, blank=True)
    birth_place = models.CharField(_("tempat lahir"), max_length=100, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices, blank=True)
    address_line = models.CharField(
        _("alamat"), max_length=255, blank=True, help_text=_("Jalan, nomor rumah, RT/RW.")
    )
    province_code = models.CharField(_("kode provinsi"), max_length=2, blank=True)
    regency_code = models.CharField(_("kode kabupaten/kota"), max_length=5, blank=True)
    district_code = models.CharField(_("kode kecamatan"), max_length=8, blank=True)
    village_code = models.CharField(_("kode kelurahan/desa"), max_length=13, blank=True)
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)  # E.164
    email_verified_at = models.DateTimeField(_("email terverifikasi"), null=True, blank=True)
    registered_at_counter = models.BooleanField(_("didaftarkan petugas loket"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profil warga")
        verbose_name_plural = _("profil warga")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nik__isnull=True) | models.Q(nik__regex=r"^[0-9]{16}$"),
                name="citizen_nik_sixteen_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(phone="") | models.Q(phone__regex=r"^\+62[0-9]{7,13}$"),
                name="citizen_phone_e164",
            ),
        ]

    def __str__(self) -> str:
        # Never the NIK: this string reaches logs and admin screens.
        return self.full_name or f"#{self.pk}"

    @property
    def masked_nik(self) -> str:
        from lokal import partial_mask

        return partial_mask("NIK", self.nik) if self.nik else ""

    @property
    def missing_fields(self) -> list[str]:
        """Names of the fields an application needs that are still empty."""
        needed = ["nik", "full_name", "birth_place", "birth_date", "address_line", "regency_code"]
        return [name for name in needed if not getattr(self, name)]

    @property
    def is_complete(self) -> bool:
        return not self.missing_fields

    @property
    def contact_phone(self) -> str:
        return self.phone or (self.user.phone if self.user_id and self.user.phone else "")

    @property
    def contact_email(self) -> str:
        return (self.user.email or "") if self.user_id else ""


def document_path(instance: "Document", filename: str) -> str:
    """Random names in a per-citizen folder of the national prefix: a citizen's vault belongs to
    no region, so offboarding a region never touches it."""
    return private_path(
        PUBLIC_SCHEMA, "citizens", instance.profile_id, suffix=extension_for(instance.content_type)
    )


class Document(models.Model):
    """One document in the citizen's vault. Immutable once stored: a newer upload replaces it in
    the vault (the old one is archived) while applications keep pointing at what was submitted."""

    class Source(models.TextChoices):
        VAULT = "vault", _("Diunggah ke brankas")
        APPLICATION = "application", _("Diunggah saat permohonan")
        COUNTER = "counter", _("Diunggah petugas loket")

    profile = models.ForeignKey(CitizenProfile, on_delete=models.PROTECT, related_name="documents")
    document_type = models.ForeignKey(
        "catalogue.DocumentType", on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(storage=private_storage, upload_to=document_path, max_length=255)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.VAULT)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("dokumen warga")
        verbose_name_plural = _("dokumen warga")
        indexes = [models.Index(fields=["profile", "archived_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="citizen_document_allowed_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_type} #{self.pk}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class AccessAction(models.TextChoices):
    APPLICATION_OPENED = "application_opened", _("Membuka permohonan")
    DOCUMENT_VIEWED = "document_viewed", _("Melihat dokumen")
    CITIZEN_SEARCHED = "citizen_searched", _("Mencari data warga di loket")
    ASSISTED_APPLICATION = "assisted_application", _("Membuat permohonan di loket")


class DataAccessLog(models.Model):
    """Who (user, role, region, booth) read a citizen's personal data, and when. Append-only.
    Names are copied at the time of access: the log must still read right after staff changes."""

    profile = models.ForeignKey(CitizenProfile, on_delete=models.CASCADE, related_name="access_log")
    accessed_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, blank=True)
    region = models.ForeignKey(
        "regions.Region", null=True, on_delete=models.PROTECT, related_name="+"
    )
    booth_id = models.BigIntegerField(null=True, blank=True)
    booth_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=30, choices=AccessAction.choices)
    reference = models.CharField(max_length=40, blank=True)  # application number, never the NIK

    class Meta:
        ordering = ["-accessed_at", "-id"]
        verbose_name = _("log akses data")
        verbose_name_plural = _("log akses data")
        indexes = [models.Index(fields=["profile", "-accessed_at"])]

    def __str__(self) -> str:
        return f"{self.accessed_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    @property
    def role_label(self) -> str:
        from shared.accounts.models import Role

        try:
            return str(Role(self.role).label)
        except ValueError:
            return self.role


class ApplicationIndex(models.Model):
    """The public shadow of one application in a region's schema, for "Permohonan saya" and
    claims. Written by the regional application services in the same transaction as the change;
    nothing personal beyond what the citizen's own list shows."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    application_id = models.BigIntegerField()
    number = models.CharField(max_length=30, null=True, blank=True, unique=True)
    profile = models.ForeignKey(
        CitizenProfile, on_delete=models.PROTECT, related_name="application_index"
    )
    offering_name = models.CharField(max_length=200)
    agency_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    result_kind = models.CharField(max_length=20, choices=ResultKind.choices, blank=True)
    is_assisted = models.BooleanField(default=False)
    claim_code_hash = models.CharField(max_length=128, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    timeline = models.JSONField(default=list, blank=True)  # [{"status", "at"}], oldest first
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("indeks permohonan")
        verbose_name_plural = _("indeks permohonan")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "application_id"], name="application_index_unique"
            ),
        ]
        indexes = [models.Index(fields=["profile", "-updated_at"])]

    def __str__(self) -> str:
        return self.number or f"{self.region_id}/{self.application_id}"


class OutboxMessage(models.Model):
    """Every notification sent to a citizen or staff member: e-mail and the messaging gateway
    (WhatsApp/SMS). The shipped gateway keeps messages here for a real gateway to relay, so
    nothing is faked or lost; admins read it."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        WHATSAPP = "whatsapp", _("WhatsApp")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu gateway")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    gateway = models.CharField(max_length=50)
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    profile = models.ForeignKey(
        CitizenProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reference = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("kotak pesan keluar")
        indexes = [models.Index(fields=["region", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.reference or self.pk}"

    @property
    def masked_recipient(self) -> str:
        from lokal import partial_mask

        if self.channel == self.Channel.EMAIL:
            return partial_mask("EMAIL", self.recipient) if "@" in self.recipient else "***"
        return partial_mask("PHONE", self.recipient)
