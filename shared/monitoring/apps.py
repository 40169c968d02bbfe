from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """National monitoring: per-region daily roll-ups (public tables), the dashboards that read
    only them, and the yearly evaluation. Never imports ``tenants``: the per-region computation
    lives in ``tenants.reporting`` and reaches this app through its public services."""

    name = "shared.monitoring"
    label = "monitoring"
    verbose_name = _("Pemantauan nasional")
