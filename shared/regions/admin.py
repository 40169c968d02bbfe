from django.contrib import admin

from shared.regions.models import Province, Region


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "slug"]
    list_filter = ["kind", "province"]
    search_fields = ["code", "name", "slug"]
    readonly_fields = ["code", "slug"]
