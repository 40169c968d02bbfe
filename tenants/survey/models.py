"""The SKM of one region's MPP: invitations (one per finished transaction), responses, the
region's own extra questions, daily sums for the national roll-up and the follow-up plan. Every
table lives in the region's schema.

Invariants:
- one invitation per transaction (``source_kind`` + ``source_id``, a unique constraint), and a
  transaction is answered at most once however many submits race: a response is written only in
  the transaction whose conditional ``UPDATE … SET answered_at … WHERE answered_at IS NULL``
  claimed the invitation (``services.response_submit``);
- a response is anonymous: it does not point at its invitation (which names the application or
  ticket, hence the citizen) and keeps the day it was given, not the time, so no join leads from
  a suggestion back to a person;
- every score is 1–4 (check constraints), so the sums in ``DailySum`` always make a valid index;
- ``DailySum`` has one row per day and offering; responses add to it in the same transaction.

The national questionnaire (``public``) and users are referenced without a database constraint
(as the other tenant apps do with ``public`` rows).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shared.survey.elements import ELEMENT_CODES

SCORE_FIELDS: tuple[str, ...] = ELEMENT_CODES  # u1 … u9 on Response
SUM_FIELDS: tuple[str, ...] = tuple(f"sum_{c}" for c in ELEMENT_CODES)  # on DailySum


class SurveySettings(models.Model):
    """The region's survey rules: one row per region schema (``key`` is always 1)."""

    key = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    invitation_valid_days = models.PositiveSmallIntegerField(
        _("masa berlaku undangan (hari)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Sejak transaksi selesai; setelah itu tautan survei tidak berlaku."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pengaturan survei")
        verbose_name_plural = _("pengaturan survei")
        constraints = [
            models.CheckConstraint(condition=Q(key=1), name="survey_settings_singleton"),
            models.CheckConstraint(
                condition=Q(invitation_valid_days__gte=1, invitation_valid_days__lte=365),
                name="survey_settings_valid_days_range",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Pengaturan survei"))


class ExtraQuestion(models.Model):
    """A question the region adds after the nine national ones. It never enters the IKM."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("Skala 1–4 (tidak puas … sangat puas)")
        TEXT = "text", _("Jawaban singkat")

    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    text_id = models.CharField(_("pertanyaan (Indonesia)"), max_length=300)
    text_en = models.CharField(_("pertanyaan (Inggris)"), max_length=300, blank=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.SCALE)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("pertanyaan tambahan")
        verbose_name_plural = _("pertanyaan tambahan")

    def __str__(self) -> str:
        return self.text_id


class SourceKind(models.TextChoices):
    """What finished transaction an invitation comes from. Generic on purpose: a source app
    passes its kind and its row's id; the survey app never reads the source tables."""

    APPLICATION = "application", _("Permohonan selesai")
    QUEUE_TICKET = "queue_ticket", _("Tiket antrean selesai")
    COMPLAINT = "complaint", _("Pengaduan ditutup")


class InvitationQuerySet(models.QuerySet):
    def open(self, at):
        return self.filter(answered_at__isnull=True, expires_at__gt=at)


class Invitation(models.Model):
    """A single-use invitation to the survey for one finished transaction. The token is the
    only thing the citizen needs (no account); it is derived from the source (see
    ``tokens.invitation_token``) so that a ticket printed before service already carries it."""

    token = models.CharField(max_length=32, unique=True)
    source_kind = models.CharField(_("sumber"), max_length=20, choices=SourceKind.choices)
    source_id = models.BigIntegerField()
    reference = models.CharField(_("nomor transaksi"), max_length=40)  # A-012, permohonan no.
    offering = models.ForeignKey(
        "mpp.Offering", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    booth = models.ForeignKey(
        "mpp.Booth", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Snapshots at the time of the transaction: reports stay right after renames and moves.
    offering_name = models.CharField(max_length=200, blank=True)
    agency_key = models.CharField(max_length=20, blank=True)  # "n<id>" national, "l<id>" local
    agency_name = models.CharField(max_length=200, blank=True)
    finished_at = models.DateTimeField(_("transaksi selesai"))
    date = models.DateField(_("tanggal transaksi"))  # the region's local day of finished_at
    expires_at = models.DateTimeField(_("berlaku sampai"))
    answered_at = models.DateTimeField(_("diisi pada"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-finished_at", "-id"]
        verbose_name = _("undangan survei")
        verbose_name_plural = _("undangan survei")
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "source_id"], name="survey_invitation_one_per_source"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("finished_at")),
                name="survey_invitation_expires_after_finish",
            ),
        ]
        indexes = [
            models.Index(fields=["date", "offering"]),
            models.Index(fields=["source_kind", "date", "reference"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_kind_display()} {self.reference}"


class Response(models.Model):
    """One respondent's answers. Anonymous: no user, no contact, no link to the invitation (see
    the module docstring); what it keeps is what the report groups by."""

    class Channel(models.TextChoices):
        LINK = "link", _("Tautan/QR")
        TABLET = "tablet", _("Tablet di gerai")

    questionnaire = models.ForeignKey(
        "national_survey.Questionnaire",
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # a public row; versions are never deleted
        related_name="+",
    )
    offering = models.ForeignKey(
        "mpp.Offering", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    booth = models.ForeignKey(
        "mpp.Booth", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency_key = models.CharField(max_length=20, blank=True)
    agency_name = models.CharField(max_length=200, blank=True)
    date = models.DateField(_("tanggal pengisian"))  # the region's local day; no time kept
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.LINK)
    language = models.CharField(max_length=5, default="id")

    u1 = models.PositiveSmallIntegerField()
    u2 = models.PositiveSmallIntegerField()
    u3 = models.PositiveSmallIntegerField()
    u4 = models.PositiveSmallIntegerField()
    u5 = models.PositiveSmallIntegerField()
    u6 = models.PositiveSmallIntegerField()
    u7 = models.PositiveSmallIntegerField()
    u8 = models.PositiveSmallIntegerField()
    u9 = models.PositiveSmallIntegerField()

    sex = models.CharField(_("jenis kelamin"), max_length=1)
    age = models.PositiveSmallIntegerField(_("usia"))
    education = models.CharField(_("pendidikan"), max_length=10)
    occupation = models.CharField(_("pekerjaan"), max_length=10)
    suggestion = models.TextField(_("saran"), blank=True)
    extra_answers = models.JSONField(default=dict, blank=True)  # {question id: value}

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("jawaban survei")
        verbose_name_plural = _("jawaban survei")
        constraints = [
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{c}__gte": 1, f"{c}__lte": 4}),
                    name=f"survey_response_{c}_1_to_4",
                )
                for c in ELEMENT_CODES
            ],
            models.CheckConstraint(
                condition=Q(age__gte=15, age__lte=100), name="survey_response_age_range"
            ),
        ]
        indexes = [
            models.Index(fields=["date", "offering"]),
            models.Index(fields=["date", "booth"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.date}"

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(getattr(self, c) for c in ELEMENT_CODES)


class DailySum(models.Model):
    """Respondents and score sums per element for one day (of submission) and offering: what
    the national monitoring adds up, so any period's IKM is exact (sums, not averages)."""

    date = models.DateField()
    offering = models.ForeignKey(
        "mpp.Offering", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    respondents = models.PositiveIntegerField(default=0)
    sum_u1 = models.PositiveIntegerField(default=0)
    sum_u2 = models.PositiveIntegerField(default=0)
    sum_u3 = models.PositiveIntegerField(default=0)
    sum_u4 = models.PositiveIntegerField(default=0)
    sum_u5 = models.PositiveIntegerField(default=0)
    sum_u6 = models.PositiveIntegerField(default=0)
    sum_u7 = models.PositiveIntegerField(default=0)
    sum_u8 = models.PositiveIntegerField(default=0)
    sum_u9 = models.PositiveIntegerField(default=0)
    # When the row last changed: the national roll-up re-reads days changed since its last run
    # (``figures.changed_days``), e.g. after a bulk import or a rebuild.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "offering_id"]
        verbose_name = _("jumlah harian SKM")
        verbose_name_plural = _("jumlah harian SKM")
        constraints = [
            # NULLS NOT DISTINCT: responses without an offering (a complaint about the MPP in
            # general) share one row per day too.
            models.UniqueConstraint(
                fields=["date", "offering"],
                name="survey_daily_sum_unique",
                nulls_distinct=False,
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"sum_{c}__gte": models.F("respondents")})
                    & Q(**{f"sum_{c}__lte": models.F("respondents") * 4}),
                    name=f"survey_daily_sum_{c}_in_range",
                )
                for c in ELEMENT_CODES
            ],
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.offering_id}: {self.respondents}"


class FollowUpAction(models.Model):
    """A row of the follow-up plan (*rencana tindak lanjut*) the admin writes for a period's
    results: which element, what will be done, when, by whom."""

    period = models.CharField(_("periode"), max_length=10)  # a shared.survey.periods key
    element = models.CharField(
        _("unsur"), max_length=2, blank=True, help_text=_("Kosongkan bila untuk semua unsur.")
    )
    action = models.TextField(_("program/kegiatan"))
    schedule = models.CharField(_("waktu"), max_length=200, blank=True)
    responsible = models.CharField(_("penanggung jawab"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "element", "id"]
        verbose_name = _("rencana tindak lanjut")
        verbose_name_plural = _("rencana tindak lanjut")
        constraints = [
            models.CheckConstraint(
                condition=Q(element="") | Q(element__in=ELEMENT_CODES),
                name="survey_follow_up_element_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.action[:40]}"
