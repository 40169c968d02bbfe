from django.apps import AppConfig


class NationalSurveyConfig(AppConfig):
    name = "shared.survey"
    label = "national_survey"
    verbose_name = "Kuesioner SKM nasional"
