"""Online applications of one region's MPP. Every table lives in the region's schema.

References to ``public`` (the citizen's profile and vault documents, users, document types) carry
no database constraint (``db_constraint=False``): a tenant table must not hold a cross-schema
foreign key (Citus schema-based sharding, and Django's delete collector running in ``public``).
The status vocabulary is ``shared.citizens.models.ApplicationStatus``, shared with the public
index that "Permohonan saya" reads.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kernel.files import extension_for, private_path, private_storage
from kernel.tenancy import connection
from shared.citizens.models import ApplicationStatus, ResultKind


class FormField(models.Model):
    """One extra field of an offering's online form, defined by the region's admin."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Teks")
        NUMBER = "number", _("Angka")
        DATE = "date", _("Tanggal")
        CHOICE = "choice", _("Pilihan")
        FILE = "file", _("Berkas")

    offering = models.ForeignKey(
        "mpp.Offering", on_delete=models.CASCADE, related_name="form_fields"
    )
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(max_length=40)  # where the answer lives in Application.data
    label = models.CharField(_("pertanyaan"), max_length=200)
    kind = models.CharField(_("jenis isian"), max_length=10, choices=Kind.choices)
    choices = models.JSONField(_("pilihan"), default=list, blank=True)
    is_required = models.BooleanField(_("wajib diisi"), default=False)
    help_text = models.CharField(_("petunjuk"), max_length=300, blank=True)
    # Removing a field from the form keeps the answers of earlier applications readable.
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["offering", "position", "id"]
        verbose_name = _("isian tambahan")
        verbose_name_plural = _("isian tambahan")
        constraints = [
            models.UniqueConstraint(fields=["offering", "key"], name="form_field_key_unique"),
            models.CheckConstraint(
                condition=~Q(kind="choice") | ~Q(choices=[]),
                name="form_field_choice_has_options",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Application(models.Model):
    offering = models.ForeignKey(
        "mpp.Offering", on_delete=models.PROTECT, related_name="applications"
    )
    booth = models.ForeignKey(
        "mpp.Booth", null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    citizen = models.ForeignKey(
        "citizens.CitizenProfile",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    number = models.CharField(_("nomor permohonan"), max_length=30, null=True, unique=True)
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    # Snapshots taken at submission: what staff process is what the citizen submitted.
    offering_name = models.CharField(max_length=200)
    agency_name = models.CharField(max_length=200, blank=True)
    completion_days = models.PositiveSmallIntegerField(null=True, blank=True)
    applicant = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)  # answers to the extra fields

    is_assisted = models.BooleanField(_("dibantu petugas loket"), default=False)
    claim_code_hash = models.CharField(max_length=128, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Idempotency: the form (or the app) sends one key per new application.
    client_key = models.UUIDField(null=True, blank=True, unique=True)
    public_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    due_date = models.DateField(_("target selesai"), null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    revision_note = models.TextField(_("catatan perbaikan"), blank=True)
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    result_kind = models.CharField(max_length=20, choices=ResultKind.choices, blank=True)
    result_note = models.TextField(_("keterangan hasil"), blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False),
                name="application_submitted_has_number",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | ~Q(result_kind=""),
                name="application_completed_has_result",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="application_rejected_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["booth", "status", "due_date"]),
            models.Index(fields=["citizen", "-updated_at"]),
        ]

    def __str__(self) -> str:
        return self.number or _("Draf #%(id)s") % {"id": self.pk}

    @property
    def is_editable_by_citizen(self) -> bool:
        return self.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)

    @property
    def applicant_view(self) -> dict:
        """The applicant snapshot with the NIK decrypted (it is stored encrypted)."""
        from shared.citizens.crypto import decrypt_nik

        view = dict(self.applicant or {})
        token = view.pop("nik_encrypted", "")
        if token:
            view["nik"] = decrypt_nik(token)
        return view


class ApplicationRequirement(models.Model):
    """One requirement of the offering's standard, and how the citizen met it: a vault document
    (``document_id``) or, for a requirement without a document type, a confirmation."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="requirements"
    )
    key = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=400)
    document_type = models.ForeignKey(
        "catalogue.DocumentType",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    is_mandatory = models.BooleanField(default=True)
    document = models.ForeignKey(
        "citizens.Document",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    confirmed = models.BooleanField(default=False)

    class Meta:
        ordering = ["application", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "key"], name="application_requirement_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_met(self) -> bool:
        return bool(self.document_id) if self.document_type_id else self.confirmed


def application_file_path(instance: "ApplicationFile", filename: str) -> str:
    """Under the region's own prefix: offboarding archives and removes it with the schema."""
    return private_path(
        connection.schema_name,
        "applications",
        instance.application_id,
        suffix=extension_for(instance.content_type),
    )


class ApplicationFile(models.Model):
    """A file that belongs to the application rather than the vault: the answer to a *file*
    extra field, or the result document staff upload when completing it."""

    class Purpose(models.TextChoices):
        FIELD = "field", _("Isian berkas")
        RESULT = "result", _("Dokumen hasil")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    field_key = models.CharField(max_length=40, blank=True)
    file = models.FileField(storage=private_storage, upload_to=application_file_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} #{self.pk}"


class StatusChange(models.Model):
    """The application's history: who moved it from what to what, and why. Append-only."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_role = models.CharField(max_length=20, blank=True)  # a Role value, or "citizen"
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class NumberSequence(models.Model):
    """The last application number of a year in this region. Its row is locked (SELECT … FOR
    UPDATE) inside the submitting transaction, so numbers have no gaps and no duplicates: a
    submission that rolls back gives its number back with it."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
