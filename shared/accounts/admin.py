from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from shared.accounts import services
from shared.accounts.forms import AdminUserCreationForm
from shared.accounts.models import ApiToken, Membership, User
from shared.citizens.admin import PersonalDataReadLogged


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["region"]


@admin.register(User)
class UserAdmin(PersonalDataReadLogged, BaseUserAdmin):
    """Lists mask e-mail, phone and name; opening a citizen's account is logged in their access
    log (shared.citizens.admin)."""

    actions = ["reset_second_factor", "deactivate"]
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

    @admin.action(description=_("Atur ulang verifikasi dua langkah (ponsel hilang)"))
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            services.second_factor_reset(actor=request.user, user=user)
        self.message_user(
            request, _("Verifikasi dua langkah diatur ulang; daftar lagi saat masuk.")
        )

    @admin.action(description=_("Nonaktifkan akun (semua perangkat keluar)"))
    def deactivate(self, request, queryset):
        for user in queryset:
            services.user_deactivate(actor=request.user, user=user)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.api_tokens_revoke_all(user=obj, actor=request.user, reason="deactivated")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__email", "region__name"]
    autocomplete_fields = ["user", "region"]


# knox registers its own token model, which is swapped out for ApiToken here.
if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Signed-in app devices. Only a digest is stored; revoking is deleting."""

    list_display = ["short_key", "user", "device_name", "created", "expiry", "last_used_at"]
    search_fields = ["user__email", "device_name"]
    fields = ("short_key", "user", "device_name", "created", "expiry", "last_used_at")
    readonly_fields = fields

    @admin.display(description=_("token"))
    def short_key(self, obj: ApiToken) -> str:
        return f"{obj.token_key[:8]}…"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
