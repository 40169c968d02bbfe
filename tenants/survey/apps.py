from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "tenants.survey"
    label = "survey"
    verbose_name = "Survei kepuasan masyarakat (SKM)"
