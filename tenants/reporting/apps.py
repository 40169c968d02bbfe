from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """The per-region half of national monitoring: computes a region's daily figures inside its
    schema and hands them to ``shared.monitoring``. No tables of its own."""

    name = "tenants.reporting"
    label = "reporting"
    verbose_name = "Rekap daerah"
