from django.apps import AppConfig


class MppConfig(AppConfig):
    name = "tenants.mpp"
    label = "mpp"
    verbose_name = "Pengelolaan MPP daerah"

    def ready(self) -> None:
        # Any write to this app's tables makes the region's cached public pages stale.
        from tenants.mpp.page_cache import connect_signals

        connect_signals(self.get_models())
