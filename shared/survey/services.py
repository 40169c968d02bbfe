"""Writes on the national questionnaires (superadmins, national site). Published versions are
frozen; a change is a new draft copied from the current version, then published."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, DomainError
from shared.survey import standard
from shared.survey.elements import ELEMENT_CODES
from shared.survey.models import Questionnaire, QuestionnaireElement
from shared.survey.selectors import current_questionnaire, forget_current_questionnaire


def questionnaire_load_standard() -> Questionnaire:
    """Version 1, the regulation's own wording, unless a version exists already (idempotent)."""
    existing = Questionnaire.objects.order_by("version").first()
    if existing is not None:
        return existing
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(
            version=1,
            title=standard.TITLE,
            legal_basis=standard.LEGAL_BASIS,
            intro_id=standard.INTRO_ID,
            intro_en=standard.INTRO_EN,
            status=Questionnaire.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        QuestionnaireElement.objects.bulk_create(
            QuestionnaireElement(
                questionnaire=questionnaire,
                code=code,
                question_id=q_id,
                question_en=q_en,
                options_id=list(o_id),
                options_en=list(o_en),
            )
            for code, (q_id, q_en, o_id, o_en) in standard.QUESTIONS.items()
        )
    forget_current_questionnaire()
    return questionnaire


def questionnaire_draft_create(*, actor) -> Questionnaire:
    """A new draft version, a copy of the current published one, to reword."""
    with transaction.atomic():
        Questionnaire.objects.select_for_update().filter(status=Questionnaire.Status.DRAFT).exists()
        if Questionnaire.objects.filter(status=Questionnaire.Status.DRAFT).exists():
            raise ConflictError(
                _("Sudah ada draf kuesioner. Terbitkan atau ubah draf itu."), code="draft_exists"
            )
        base = current_questionnaire()
        version = (Questionnaire.objects.aggregate(m=Max("version"))["m"] or 0) + 1
        draft = Questionnaire.objects.create(
            version=version,
            title=base.title,
            legal_basis=base.legal_basis,
            intro_id=base.intro_id,
            intro_en=base.intro_en,
            created_by=actor,
        )
        QuestionnaireElement.objects.bulk_create(
            QuestionnaireElement(
                questionnaire=draft,
                code=e.code,
                question_id=e.question_id,
                question_en=e.question_en,
                options_id=list(e.options_id),
                options_en=list(e.options_en),
            )
            for e in base.elements.all()
        )
        audit_log(
            actor=actor,
            action="survey.questionnaire.drafted",
            target=draft,
            data={"version": version, "from": base.version},
        )
    return draft


def questionnaire_publish(*, actor, questionnaire: Questionnaire) -> Questionnaire:
    """Publish a draft: from now on new surveys use it. Refused unless all nine elements are
    there with a question and four answers in both languages."""
    with transaction.atomic():
        locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if locked.is_published:
            raise ConflictError(_("Versi ini sudah terbit."), code="already_published")
        elements = {e.code: e for e in locked.elements.all()}
        missing = [c for c in ELEMENT_CODES if c not in elements]
        if missing:
            raise DomainError(
                _("Kuesioner harus memuat kesembilan unsur; belum ada: %(codes)s.")
                % {"codes": ", ".join(missing)},
                code="incomplete",
            )
        for element in elements.values():
            texts = [element.question_id, element.question_en, *element.options_id]
            texts += list(element.options_en)
            if (
                len(element.options_id) != 4
                or len(element.options_en) != 4
                or not all((t or "").strip() for t in texts)
            ):
                raise DomainError(
                    _(
                        "Unsur %(name)s belum lengkap: pertanyaan dan empat jawaban, "
                        "dalam dua bahasa."
                    )
                    % {"name": element.name},
                    code="incomplete",
                )
        locked.status = Questionnaire.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at"])
        audit_log(
            actor=actor,
            action="survey.questionnaire.published",
            target=locked,
            data={"version": locked.version},
        )
        transaction.on_commit(forget_current_questionnaire)
    return locked
