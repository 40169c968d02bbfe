"""National, versioned SKM questionnaires (KemenPANRB owns them). Lives in ``public``.

A published version is frozen: every stored response names the version it answered. A new
version rewords questions and answers (Bahasa Indonesia and English) but keeps the nine elements
and their codes; regions add questions of their own in ``tenants.survey``, never here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shared.survey.elements import ELEMENT_BY_CODE, ELEMENT_CODES


class QuestionnaireQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Questionnaire.Status.PUBLISHED)


class Questionnaire(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PUBLISHED = "published", _("Terbit")

    version = models.PositiveIntegerField(_("versi"), unique=True)
    title = models.CharField(_("judul"), max_length=200)
    legal_basis = models.CharField(_("dasar hukum"), max_length=300)
    intro_id = models.TextField(_("pengantar (Indonesia)"), blank=True)
    intro_en = models.TextField(_("pengantar (Inggris)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("terbit pada"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("kuesioner SKM")
        verbose_name_plural = _("kuesioner SKM")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="national_survey_published_has_date",
            ),
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="draft"), name="national_survey_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def intro(self) -> str:
        return self.intro_en if _english() and self.intro_en else self.intro_id


def _english() -> bool:
    return (get_language() or "id").startswith("en")


class QuestionnaireElement(models.Model):
    """One of the nine elements in one version: its question and its four answers (score 1 to 4
    in order), in Bahasa Indonesia and English."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="elements"
    )
    code = models.CharField(
        _("unsur"),
        max_length=2,
        choices=[(e.code, e.name) for e in ELEMENT_BY_CODE.values()],
    )
    question_id = models.TextField(_("pertanyaan (Indonesia)"))
    question_en = models.TextField(_("pertanyaan (Inggris)"))
    options_id = ArrayField(
        models.CharField(max_length=100), size=4, verbose_name=_("jawaban 1–4 (Indonesia)")
    )
    options_en = ArrayField(
        models.CharField(max_length=100), size=4, verbose_name=_("jawaban 1–4 (Inggris)")
    )

    class Meta:
        ordering = ["questionnaire", "code"]
        verbose_name = _("unsur kuesioner")
        verbose_name_plural = _("unsur kuesioner")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"], name="national_survey_element_once"
            ),
            models.CheckConstraint(
                condition=Q(code__in=ELEMENT_CODES), name="national_survey_element_code"
            ),
            models.CheckConstraint(
                condition=Q(options_id__len=4) & Q(options_en__len=4),
                name="national_survey_four_options",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def name(self) -> str:
        return str(ELEMENT_BY_CODE[self.code].name)

    @property
    def question(self) -> str:
        return self.question_en if _english() else self.question_id

    @property
    def options(self) -> list[tuple[int, str]]:
        labels = self.options_en if _english() else self.options_id
        return list(enumerate(labels, start=1))
