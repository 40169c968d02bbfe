from django.contrib import admin

from onboarding.models import Domain, Mpp


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Mpp)
class MppAdmin(admin.ModelAdmin):
    list_display = ["region", "schema_name", "status", "live_since"]
    list_filter = ["status"]
    search_fields = ["region__name", "schema_name"]
    readonly_fields = ["schema_name", "region"]
    inlines = [DomainInline]
