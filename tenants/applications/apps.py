from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "tenants.applications"
    label = "applications"
    verbose_name = "Permohonan daring"

    def ready(self) -> None:
        from shared.citizens import hooks
        from tenants.applications import citizen_hooks

        hooks.register_retained_document_finder(citizen_hooks.attached_documents)
        hooks.register_account_deletion_handler(citizen_hooks.delete_drafts)
        hooks.register_nik_rotation_handler(citizen_hooks.rotate_applicant_niks)
        hooks.register_retention_expiry_handler(citizen_hooks.purge_retained)
