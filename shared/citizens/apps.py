from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "shared.citizens"
    label = "citizens"
    verbose_name = "Warga"
