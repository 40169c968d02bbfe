from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "shared.audit"
    label = "national_audit"
    verbose_name = "Log audit nasional"
