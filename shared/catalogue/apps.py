from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "shared.catalogue"
    label = "catalogue"
    verbose_name = "Katalog layanan nasional"
