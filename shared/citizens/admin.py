"""National admin screens. Lists show personal data masked; opening one record that shows more
is a read of that citizen's data and goes into their access log (role "superadmin", via the
Django admin). Documents show metadata only (their content is never served here). Logs and the
outbox are read-only."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext_lazy as _

from shared.citizens.models import (
    ApplicationIndex,
    CitizenProfile,
    DataAccessLog,
    Document,
    NikDispute,
    OutboxMessage,
)

PROFILE_FIELDS = (
    "full_name",
    "masked_nik",
    "nik_status",
    "nik_verified_at",
    "nik_verified_method",
    "nik_verified_by_name",
    "regency_code",
    "registered_at_counter",
    "phone_verified_at",
    "email_verified_at",
    "deleted_at",
    "retain_until",
    "created_at",
)


def admin_read_logged(request, profile, *, reason: str = "") -> None:
    """Record that an admin opened this citizen's data (the citizen sees it)."""
    from shared.citizens.models import AccessAction, AccessChannel
    from shared.citizens.services import access_log_record

    if profile is None or not request.user.is_authenticated:
        return
    access_log_record(
        profile=profile,
        actor=request.user,
        role="superadmin" if request.user.is_superuser else "admin",
        region=None,
        action=AccessAction.ADMIN_VIEWED,
        reason=reason,
        via=AccessChannel.ADMIN,
    )


class PersonalDataReadLogged(admin.ModelAdmin):
    """Logs every detail view of a record that shows a citizen's personal data."""

    def citizen_of(self, obj):
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if getattr(response, "status_code", None) == 200:
            obj = self.get_object(request, unquote(object_id))
            admin_read_logged(request, self.citizen_of(obj) if obj is not None else None)
        return response


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(PersonalDataReadLogged, ReadOnlyAdmin):
    def citizen_of(self, obj):
        return obj.profile

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
class CitizenProfileAdmin(PersonalDataReadLogged, ReadOnlyAdmin):
    list_display = ["id", "masked_name", "masked_nik", "nik_status", "registered_at_counter"]
    list_filter = ["registered_at_counter", "nik_status"]
    fields = readonly_fields = PROFILE_FIELDS

    def citizen_of(self, obj):
        return obj

    @admin.display(description=_("NIK"))
    def masked_nik(self, obj):
        return obj.masked_nik

    @admin.display(description=_("nama"))
    def masked_name(self, obj):
        return obj.masked_name


@admin.register(Document)
class DocumentAdmin(PersonalDataReadLogged, ReadOnlyAdmin):
    list_display = ["id", "document_type", "content_type", "size", "source", "uploaded_at"]
    list_filter = ["content_type", "source"]
    fields = readonly_fields = (
        "document_type",
        "content_type",
        "size",
        "sha256",
        "source",
        "uploaded_at",
    )

    def citizen_of(self, obj):
        return obj.profile


@admin.register(NikDispute)
class NikDisputeAdmin(PersonalDataReadLogged, ReadOnlyAdmin):
    list_display = ["id", "status", "opened_at", "resolved_at", "resolved_region"]
    list_filter = ["status"]
    fields = readonly_fields = (
        "status",
        "opened_at",
        "resolved_at",
        "resolved_by_name",
        "resolved_region",
        "reason",
    )

    def citizen_of(self, obj):
        return obj.holder or obj.claimant


@admin.register(DataAccessLog)
class DataAccessLogAdmin(ReadOnlyAdmin):
    list_display = ["accessed_at", "actor_name", "role", "region", "booth_name", "action", "via"]
    list_filter = ["action", "role", "via"]
    list_select_related = ["region"]
    exclude = ["profile"]


@admin.register(ApplicationIndex)
class ApplicationIndexAdmin(ReadOnlyAdmin):
    list_display = ["number", "region", "offering_name", "status", "is_assisted", "updated_at"]
    list_filter = ["status", "is_assisted"]
    search_fields = ["number"]
    list_select_related = ["region"]
    exclude = ["claim_code_hash"]
