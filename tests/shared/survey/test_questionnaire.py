"""The national questionnaire: version 1 is the regulation's wording in two languages; a new
version is a draft copied from the current one, published only complete; published versions are
frozen; the admin is for superadmins on the national site."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.html import escape

from kernel.errors import ConflictError, DomainError
from shared.survey.elements import ELEMENT_CODES
from shared.survey.models import Questionnaire, QuestionnaireElement
from shared.survey.selectors import current_questionnaire, forget_current_questionnaire
from shared.survey.services import (
    questionnaire_draft_create,
    questionnaire_load_standard,
    questionnaire_publish,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    forget_current_questionnaire()
    yield
    forget_current_questionnaire()


def test_version_one_is_the_regulations_questionnaire(db):
    q = current_questionnaire()
    assert q.version == 1
    assert q.legal_basis == "Peraturan Menteri PANRB Nomor 14 Tahun 2017"
    elements = list(q.elements.all())
    assert [e.code for e in elements] == list(ELEMENT_CODES)
    first = elements[0]
    assert first.options_id == ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"]
    assert elements[3].options_id[-1] == "Gratis"  # biaya: 4 = free
    with translation.override("en"):
        assert first.question.startswith("How well did the service requirements")
        assert first.options[3] == (4, "Very appropriate")
    with translation.override("id"):
        assert first.options[0] == (1, "Tidak sesuai")
    assert questionnaire_load_standard().pk == q.pk  # idempotent


def test_a_new_version_is_drafted_reworded_and_published(db, make_user):
    admin = make_user(superadmin=True)
    draft = questionnaire_draft_create(actor=admin)
    assert draft.version == 2
    assert draft.status == Questionnaire.Status.DRAFT
    with pytest.raises(ConflictError):
        questionnaire_draft_create(actor=admin)  # one draft at a time
    assert current_questionnaire().version == 1  # drafts are not used
    element = draft.elements.get(code="u3")
    element.question_id = "Seberapa cepat layanan diselesaikan?"
    element.save()
    questionnaire_publish(actor=admin, questionnaire=draft)
    forget_current_questionnaire()
    current = current_questionnaire()
    assert current.version == 2
    assert current.elements.get(code="u3").question_id == "Seberapa cepat layanan diselesaikan?"
    with pytest.raises(ConflictError):
        questionnaire_publish(actor=admin, questionnaire=draft)


def test_an_incomplete_draft_is_not_published(db, make_user):
    admin = make_user(superadmin=True)
    draft = questionnaire_draft_create(actor=admin)
    draft.elements.filter(code="u9").delete()
    with pytest.raises(DomainError, match="u9"):
        questionnaire_publish(actor=admin, questionnaire=draft)
    QuestionnaireElement.objects.create(
        questionnaire=draft,
        code="u9",
        question_id="Bagaimana sarana?",
        question_en="",
        options_id=["a", "b", "c", "d"],
        options_en=["a", "b", "c", "d"],
    )
    with pytest.raises(DomainError, match="Sarana dan prasarana"):
        questionnaire_publish(actor=admin, questionnaire=draft)


def test_the_database_keeps_nine_codes_and_four_answers(db):
    q = current_questionnaire()
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireElement.objects.create(
            questionnaire=q, code="u1", question_id="x", question_en="x",
            options_id=["a"] * 4, options_en=["a"] * 4,
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireElement.objects.filter(questionnaire=q, code="u2").update(
            options_id=["a", "b", "c"]
        )


def test_admin_is_for_superadmins_and_published_versions_are_read_only(
    db, national_client, make_user
):
    q = current_questionnaire()
    national_client.force_login(make_user(superadmin=True))
    listing = national_client.get("/admin/national_survey/questionnaire/")
    assert listing.status_code == 200
    assert f"/admin/national_survey/questionnaire/{q.pk}/change/" in listing.content.decode()
    assert escape(q.title) in listing.content.decode()
    page = national_client.get(f"/admin/national_survey/questionnaire/{q.pk}/change/")
    assert page.status_code == 200
    assert "kesesuaian persyaratan" in page.content.decode()
    posted = national_client.post(
        f"/admin/national_survey/questionnaire/{q.pk}/change/", {"title": "Diubah"}
    )
    assert posted.status_code == 403
    q.refresh_from_db()
    assert q.title != "Diubah"
    made = national_client.post(
        "/admin/national_survey/questionnaire/",
        {"action": "new_draft", "_selected_action": [q.pk]},
    )
    assert made.status_code == 302
    assert Questionnaire.objects.filter(version=2, status="draft").exists()
