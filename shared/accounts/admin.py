from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from shared.accounts.forms import AdminUserCreationForm
from shared.accounts.models import Membership, User
from shared.citizens.admin import PersonalDataReadLogged


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["region"]


@admin.register(User)
class UserAdmin(PersonalDataReadLogged, BaseUserAdmin):
    """Lists mask e-mail, phone and name; opening a citizen's account is logged in their access
    log (shared.citizens.admin)."""

    ordering = ["id"]
    list_display = ["id", "masked_email", "masked_phone", "is_superuser", "is_active"]
    list_filter = ["is_superuser", "is_staff", "is_active"]
    search_fields = ["email", "phone", "full_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "phone", "password")}),
        (_("Data diri"), {"fields": ("full_name",)}),
        (_("Hak akses"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Waktu"), {"fields": ("last_login", "date_joined")}),
    )
    add_form = AdminUserCreationForm

    def citizen_of(self, obj):
        from shared.citizens.models import CitizenProfile

        return CitizenProfile.objects.filter(user=obj).first()

    @admin.display(description=_("email"))
    def masked_email(self, obj):
        from lokal import partial_mask

        return partial_mask("EMAIL", obj.email) if obj.email and "@" in obj.email else "—"

    @admin.display(description=_("nomor HP"))
    def masked_phone(self, obj):
        from lokal import partial_mask

        return partial_mask("PHONE", obj.phone) if obj.phone else "—"

    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "phone", "full_name", "password")}),
    )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__email", "region__name"]
    autocomplete_fields = ["user", "region"]
