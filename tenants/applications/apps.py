from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "tenants.applications"
    label = "applications"
    verbose_name = "Permohonan daring"
