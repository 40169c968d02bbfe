"""National admin screens. Personal data shows masked; documents show metadata only (their
content is never served here). Logs and the outbox are read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from shared.citizens.models import (
    ApplicationIndex,
    CitizenProfile,
    DataAccessLog,
    Document,
    OutboxMessage,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "channel", "masked_recipient", "subject", "region", "status"]
    list_filter = ["channel", "status", "gateway"]
    search_fields = ["reference", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["region"]
    fields = [
        "created_at",
        "channel",
        "gateway",
        "masked_recipient",
        "subject",
        "body",
        "region",
        "reference",
        "status",
        "sent_at",
        "error",
    ]
    readonly_fields = fields  # type: ignore[assignment]  # stubs type fields wider

    @admin.display(description=_("penerima"))
    def masked_recipient(self, obj):
        return obj.masked_recipient


@admin.register(CitizenProfile)
class CitizenProfileAdmin(ReadOnlyAdmin):
    list_display = ["id", "full_name", "masked_nik", "regency_code", "registered_at_counter"]
    list_filter = ["registered_at_counter"]
    search_fields = ["full_name"]
    fields = [
        "full_name",
        "masked_nik",
        "regency_code",
        "registered_at_counter",
        "email_verified_at",
        "created_at",
    ]
    readonly_fields = fields  # type: ignore[assignment]  # stubs type fields wider

    @admin.display(description=_("NIK"))
    def masked_nik(self, obj):
        return obj.masked_nik


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["id", "document_type", "content_type", "size", "source", "uploaded_at"]
    list_filter = ["content_type", "source"]
    fields = ["document_type", "content_type", "size", "sha256", "source", "uploaded_at"]
    readonly_fields = fields  # type: ignore[assignment]  # stubs type fields wider


@admin.register(DataAccessLog)
class DataAccessLogAdmin(ReadOnlyAdmin):
    list_display = ["accessed_at", "actor_name", "role", "region", "booth_name", "action"]
    list_filter = ["action", "role"]
    list_select_related = ["region"]


@admin.register(ApplicationIndex)
class ApplicationIndexAdmin(ReadOnlyAdmin):
    list_display = ["number", "region", "offering_name", "status", "is_assisted", "updated_at"]
    list_filter = ["status", "is_assisted"]
    search_fields = ["number"]
    list_select_related = ["region"]
    exclude = ["claim_code_hash"]
