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


class NikStatus(models.TextChoices):
    NONE = "none", _("Belum diisi")
    DECLARED = "declared", _("Dinyatakan sendiri (belum diverifikasi)")
    VERIFIED = "verified", _("Terverifikasi")


class NikVerification(models.TextChoices):
    COUNTER = "counter", _("Di loket, KTP-el diperiksa petugas")
    DUKCAPIL = "dukcapil", _("Data kependudukan (Dukcapil)")


def mask_name(name: str) -> str:
    """ "Siti Aminah" -> "S*** A*****": enough for staff to confirm who stands there, not to
    learn a name they did not already know."""
    return " ".join(part[0] + "*" * (len(part) - 1) for part in (name or "").split()) or "—"


class CitizenProfileQuerySet(models.QuerySet):
    def with_nik(self, nik: str):
        """Profiles holding this NIK (by blind index under every configured key)."""
        from shared.citizens.crypto import nik_indexes

        return self.filter(nik_index__in=nik_indexes(nik))


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
    # The NIK, encrypted (shared.citizens.crypto), and its keyed blind index for lookups and
    # uniqueness. Read and set it through the ``nik`` property; query with ``with_nik()``.
    nik_encrypted = models.TextField(_("NIK (terenkripsi)"), blank=True, default="")
    nik_index = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    nik_status = models.CharField(
        _("status NIK"), max_length=10, choices=NikStatus.choices, default=NikStatus.NONE
    )
    nik_verified_at = models.DateTimeField(_("NIK diverifikasi"), null=True, blank=True)
    nik_verified_method = models.CharField(
        _("cara verifikasi NIK"), max_length=10, choices=NikVerification.choices, blank=True
    )
    nik_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("diverifikasi oleh"),
    )
    nik_verified_by_name = models.CharField(max_length=150, blank=True)
    nik_verified_region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nik_verified_booth = models.CharField(max_length=200, blank=True)
    # The citizen confirmed that the birth date on their KTP-el differs from the one the NIK
    # encodes (a wrongly encoded NIK is rarely reissued); the warning was shown and accepted.
    birth_date_mismatch_confirmed_at = models.DateTimeField(
        _("beda tanggal lahir dengan NIK dikonfirmasi"), null=True, blank=True
    )
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
    phone_verified_at = models.DateTimeField(_("nomor HP terverifikasi"), null=True, blank=True)
    email_verified_at = models.DateTimeField(_("email terverifikasi"), null=True, blank=True)
    # "Hapus akun" (UU PDP): the row stays as a tombstone while completed applications that point
    # at it are kept; personal fields are emptied at once.
    deleted_at = models.DateTimeField(_("akun dihapus"), null=True, blank=True)
    retain_until = models.DateField(_("arsip disimpan sampai"), null=True, blank=True)
    # The retention period ended and what was kept with the completed applications (applicant
    # data, attached documents, result files) was destroyed (services.retention).
    purged_at = models.DateTimeField(_("arsip dimusnahkan"), null=True, blank=True)
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

    objects = CitizenProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("profil warga")
        verbose_name_plural = _("profil warga")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(nik_index__isnull=True) & models.Q(nik_encrypted=""))
                | (models.Q(nik_index__regex=r"^[0-9a-f]{64}$") & ~models.Q(nik_encrypted="")),
                name="citizen_nik_encrypted_with_index",
            ),
            models.CheckConstraint(
                condition=models.Q(nik_index__isnull=False) | models.Q(nik_status=NikStatus.NONE),
                name="citizen_nik_status_needs_nik",
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
    def nik(self) -> str | None:
        """The NIK in clear, decrypted on first use (never stored in clear)."""
        if not self.nik_encrypted:
            return None
        cached = self.__dict__.get("_nik_clear")
        if cached is None or cached[0] != self.nik_encrypted:
            from shared.citizens.crypto import decrypt_nik

            cached = (self.nik_encrypted, decrypt_nik(self.nik_encrypted))
            self.__dict__["_nik_clear"] = cached
        return cached[1]

    @nik.setter
    def nik(self, value: str | None) -> None:
        from shared.citizens.crypto import encrypt_nik, nik_index

        if (value or None) == self.nik:
            return
        # A different NIK is a new declaration: whatever verified the old one does not carry over.
        self.nik_verified_at, self.nik_verified_method, self.nik_verified_by = None, "", None
        self.nik_verified_by_name, self.nik_verified_region, self.nik_verified_booth = "", None, ""
        self.birth_date_mismatch_confirmed_at = None
        if not value:
            self.nik_encrypted, self.nik_index, self.nik_status = "", None, NikStatus.NONE
            self.__dict__.pop("_nik_clear", None)
            return
        self.nik_encrypted, self.nik_index = encrypt_nik(value), nik_index(value)
        self.nik_status = NikStatus.DECLARED
        self.__dict__["_nik_clear"] = (self.nik_encrypted, value)

    @property
    def masked_nik(self) -> str:
        from lokal import partial_mask

        return partial_mask("NIK", self.nik) if self.nik else ""

    @property
    def masked_name(self) -> str:
        """What a counter sees before consent: initials and the first letter of each name."""
        return mask_name(self.full_name)

    @property
    def nik_is_verified(self) -> bool:
        return self.nik_status == NikStatus.VERIFIED

    @property
    def phone_is_verified(self) -> bool:
        return bool(self.phone and self.phone_verified_at)

    @property
    def email_is_verified(self) -> bool:
        return bool(self.contact_email and self.email_verified_at)

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
        user = self.user if self.user_id else None
        return self.phone or (user.phone if user is not None and user.phone else "")

    @property
    def contact_email(self) -> str:
        user = self.user if self.user_id else None
        return (user.email or "") if user is not None else ""


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
    CITIZEN_SEARCHED = "citizen_searched", _("Mencari data warga di loket (hanya nama tersamar)")
    ASSISTED_APPLICATION = "assisted_application", _("Membuat permohonan di loket")
    CONSENT_GRANTED = "consent_granted", _("Mendapat persetujuan Anda di loket")
    PROFILE_VIEWED = "profile_viewed", _("Melihat data diri di loket")
    NIK_VERIFIED = "nik_verified", _("Memverifikasi NIK dengan KTP-el")
    DISPUTE_RESOLVED = "dispute_resolved", _("Menyelesaikan sengketa NIK")
    ADMIN_VIEWED = "admin_viewed", _("Membuka data Anda di halaman admin")
    COMPLAINT_OPENED = "complaint_opened", _("Membuka pengaduan Anda")
    COMPLAINT_EXPORTED = "complaint_exported", _("Mengekspor pengaduan Anda (CSV)")


class AccessChannel(models.TextChoices):
    WEB = "web", _("Situs")
    API = "api", _("API")
    ADMIN = "admin", _("Django admin")


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
    reason = models.CharField(_("alasan"), max_length=200, blank=True)
    via = models.CharField(max_length=10, choices=AccessChannel.choices, default=AccessChannel.WEB)

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


class OneTimeCode(models.Model):
    """A six-digit code that proves someone holds a phone, an e-mail inbox or an account.

    The code itself is never stored: it is derived from ``SECRET_KEY`` and the row's random
    nonce (shared.citizens.otp), so it can be shown again in the citizen's account while a
    database dump reveals nothing. Attempts are counted atomically in the database."""

    class Purpose(models.TextChoices):
        PHONE_VERIFY = "phone_verify", _("Verifikasi nomor HP")
        PASSWORD_RESET = "password_reset", _("Atur ulang kata sandi")
        COUNTER_CONSENT = "counter_consent", _("Persetujuan akses di loket")

    class Channel(models.TextChoices):
        WHATSAPP = "whatsapp", _("WhatsApp")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Email")
        ACCOUNT = "account", _("Tampil di akun warga")

    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    profile = models.ForeignKey(
        CitizenProfile, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    destination = models.CharField(max_length=254, blank=True)  # the phone/e-mail it proves
    nonce = models.CharField(max_length=32)
    context = models.JSONField(default=dict, blank=True)  # region, staff member, booth
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=5)
    used_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("kode sekali pakai")
        verbose_name_plural = _("kode sekali pakai")
        indexes = [
            models.Index(fields=["purpose", "profile", "-created_at"]),
            models.Index(fields=["purpose", "user", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(attempts__lte=models.F("max_attempts")),
                name="one_time_code_attempts_capped",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} #{self.pk}"


class ConsentMethod(models.TextChoices):
    CODE = "code", _("Kode sekali pakai dari warga")
    KTP_EL = "ktp_el", _("KTP-el diperiksa petugas (warga tanpa HP)")
    REGISTRATION = "registration", _("Didaftarkan di loket dengan KTP-el")


class CounterConsent(models.Model):
    """The citizen's consent, given at a counter, for one staff member of one region to see and
    use their data during this visit. Nothing personal is shown at a counter without one."""

    profile = models.ForeignKey(CitizenProfile, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, blank=True)
    booth_id = models.BigIntegerField(null=True, blank=True)
    booth_name = models.CharField(max_length=200, blank=True)
    method = models.CharField(max_length=15, choices=ConsentMethod.choices)
    reason = models.CharField(_("alasan"), max_length=200, blank=True)
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = _("persetujuan di loket")
        verbose_name_plural = _("persetujuan di loket")
        indexes = [models.Index(fields=["profile", "region", "actor", "-expires_at"])]

    def __str__(self) -> str:
        return f"{self.get_method_display()} #{self.pk}"


class NikDispute(models.Model):
    """Two people claim one NIK. Resolved only at a counter, with the KTP-el in hand; never
    first come, first served."""

    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        RESOLVED = "resolved", _("Selesai")

    nik_encrypted = models.TextField()
    nik_index = models.CharField(max_length=64)
    holder = models.ForeignKey(
        CitizenProfile, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimant = models.ForeignKey(
        CitizenProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_by_name = models.CharField(max_length=150, blank=True)
    resolved_region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_booth = models.CharField(max_length=200, blank=True)
    winner = models.ForeignKey(
        CitizenProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("sengketa NIK")
        verbose_name_plural = _("sengketa NIK")
        constraints = [
            models.UniqueConstraint(
                fields=["nik_index"],
                condition=models.Q(status="open"),
                name="nik_dispute_one_open_per_nik",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} #{self.pk}"


class CivilRegistryEntry(models.Model):
    """The local stand-in for the Dukcapil population register behind the verification adapter
    (shared.citizens.dukcapil.LocalRegistryAdapter). Loaded by administrators or the demo seed;
    the real service is reached through another adapter where it is available."""

    nik_encrypted = models.TextField()
    nik_index = models.CharField(max_length=64, unique=True)
    full_name = models.CharField(max_length=150)
    birth_date = models.DateField()

    class Meta:
        verbose_name = _("data kependudukan (lokal)")
        verbose_name_plural = _("data kependudukan (lokal)")

    def __str__(self) -> str:
        return f"#{self.pk}"


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
