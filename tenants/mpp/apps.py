from django.apps import AppConfig


class MppConfig(AppConfig):
    name = "tenants.mpp"
    label = "mpp"
    verbose_name = "Pengelolaan MPP daerah"
