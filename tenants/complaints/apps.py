from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "tenants.complaints"
    label = "complaints"
    verbose_name = "Pengaduan (SP4N-LAPOR!)"
