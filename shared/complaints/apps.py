from django.apps import AppConfig


class ComplaintIndexConfig(AppConfig):
    name = "shared.complaints"
    label = "complaint_index"
    verbose_name = "Indeks pengaduan"
