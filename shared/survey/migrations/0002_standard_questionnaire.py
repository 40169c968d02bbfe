"""Version 1 of the national questionnaire: the wording of PermenPANRB 14/2017's sample form."""

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from shared.survey import standard

    Questionnaire = apps.get_model("national_survey", "Questionnaire")
    Element = apps.get_model("national_survey", "QuestionnaireElement")
    if Questionnaire.objects.exists():
        return
    questionnaire = Questionnaire.objects.create(
        version=1,
        title=standard.TITLE,
        legal_basis=standard.LEGAL_BASIS,
        intro_id=standard.INTRO_ID,
        intro_en=standard.INTRO_EN,
        status="published",
        published_at=timezone.now(),
    )
    Element.objects.bulk_create(
        Element(
            questionnaire=questionnaire,
            code=code,
            question_id=q_id,
            question_en=q_en,
            options_id=list(o_id),
            options_en=list(o_en),
        )
        for code, (q_id, q_en, o_id, o_en) in standard.QUESTIONS.items()
    )


class Migration(migrations.Migration):
    dependencies = [("national_survey", "0001_questionnaires")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
