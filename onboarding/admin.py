from django.contrib import admin

from onboarding.models import (
    BulkBatch,
    Onboarding,
    OnboardingDocument,
    PipelineStep,
    ReadinessIndicator,
    ReadinessValue,
    SchemaMigrationState,
    TemplateSnapshot,
)
from shared.regions.models import Domain, Mpp


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Mpp)
class MppAdmin(admin.ModelAdmin):
    list_display = ["region", "schema_name", "status", "live_since"]
    list_filter = ["status"]
    search_fields = ["region__name", "schema_name"]
    readonly_fields = ["schema_name", "region", "status"]
    inlines = [DomainInline]

    def has_add_permission(self, request):
        return False  # MPPs are provisioned from the onboarding console, never added by hand

    def has_delete_permission(self, request, obj=None):
        return False  # offboarding archives the data first


class ReadinessValueInline(admin.TabularInline):
    model = ReadinessValue
    extra = 0
    readonly_fields = [
        "indicator",
        "value_number",
        "value_bool",
        "value_text",
        "evidence",
        "threshold",
        "passed",
        "assessed_by",
        "assessed_at",
    ]
    can_delete = False


class DocumentInline(admin.TabularInline):
    model = OnboardingDocument
    extra = 0
    fields = readonly_fields = ("kind", "original_name", "size", "uploaded_by", "uploaded_at")
    can_delete = False


class StepInline(admin.TabularInline):
    model = PipelineStep
    extra = 0
    fields = readonly_fields = (
        "pipeline",
        "name",
        "status",
        "attempts",
        "error",
        "started_at",
        "finished_at",
    )
    can_delete = False


@admin.register(Onboarding)
class OnboardingAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the console or the API, which check and audit."""

    list_display = ["region", "stage", "stage_changed_at", "decree_number", "batch"]
    list_filter = ["stage", "region__province"]
    search_fields = ["region__name", "region__code", "decree_number", "admin_email"]
    inlines = [ReadinessValueInline, DocumentInline, StepInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReadinessIndicator)
class ReadinessIndicatorAdmin(admin.ModelAdmin):
    """Read-only here: indicators are changed in the onboarding console, which audits."""

    list_display = ["name", "code", "kind", "threshold", "is_active", "position"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BulkBatch)
class BulkBatchAdmin(admin.ModelAdmin):
    list_display = ["id", "file_name", "row_count", "created_by", "created_at"]
    readonly_fields = ["file_name", "row_count", "created_by", "created_at"]


@admin.register(SchemaMigrationState)
class SchemaMigrationStateAdmin(admin.ModelAdmin):
    list_display = ["schema_name", "status", "attempts", "duration_ms", "finished_at"]
    list_filter = ["status"]
    search_fields = ["schema_name"]
    readonly_fields = [f.name for f in SchemaMigrationState._meta.fields]


@admin.register(TemplateSnapshot)
class TemplateSnapshotAdmin(admin.ModelAdmin):
    list_display = ["fingerprint", "tool", "created_at"]
    readonly_fields = ["fingerprint", "tool", "created_at", "migrations", "statements", "ddl"]
