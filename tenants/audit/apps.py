from django.apps import AppConfig


class RegionAuditConfig(AppConfig):
    name = "tenants.audit"
    label = "region_audit"
    verbose_name = "Log audit daerah"
