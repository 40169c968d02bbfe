"""Django admin for superadmins: roll-up runs (read-only) and the evaluation indicators, where
saving a change adds a new version instead of rewriting the old one."""

from django.contrib import admin

from shared.monitoring.evaluation.services import indicator_revise
from shared.monitoring.models import Indicator, RollupItem, RollupJob


class RollupItemInline(admin.TabularInline):
    model = RollupItem
    extra = 0
    can_delete = False
    fields = ("region", "status", "attempts", "next_attempt_at", "days_written", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RollupJob)
class RollupJobAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "start", "end", "requested_by", "created_at")
    list_filter = ("kind",)
    readonly_fields = ("kind", "start", "end", "requested_by", "created_at")
    inlines = [RollupItemInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "version", "aspect", "name", "kind", "measure", "weight", "is_current")
    list_filter = ("aspect", "kind", "is_current")
    readonly_fields = ("code", "version", "kind", "is_current", "created_by", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("aspect", "code", "-version")

    def has_add_permission(self, request) -> bool:
        return False  # the defaults are loaded when a period is created

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # periods point at their versions

    def save_model(self, request, obj, form, change) -> None:
        # A change is a new version: periods already opened keep the one they hold.
        changes = {f: form.cleaned_data[f] for f in form.changed_data}
        if change and changes:
            revised = indicator_revise(
                actor=request.user, indicator=Indicator.objects.get(pk=obj.pk), **changes
            )
            obj.pk = revised.pk
