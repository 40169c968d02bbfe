from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "shared.regions"
    label = "regions"
    verbose_name = "Wilayah"
