from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "tenants.complaints"
    label = "complaints"
    verbose_name = "Pengaduan (SP4N-LAPOR!)"

    def ready(self) -> None:
        from shared.citizens import hooks
        from tenants.complaints import citizen_hooks

        hooks.register_account_deletion_handler(citizen_hooks.erase_complainant)
        hooks.register_data_export_contributor(citizen_hooks.complaints_export)
