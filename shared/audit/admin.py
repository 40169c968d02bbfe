from django.contrib import admin

from shared.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "region_code", "target_type", "target_id"]
    list_filter = ["action"]
    search_fields = ["action", "target_id", "region_code"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
