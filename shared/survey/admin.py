"""The national questionnaires in the Django admin (superadmins, national site).

Published versions are read-only. A change goes: action "new draft" (a copy of the current
version) → reword the draft → action "publish". The nine elements can be reworded, never added,
removed or recoded (the services refuse an incomplete draft).
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from kernel.errors import DomainError
from shared.survey import services
from shared.survey.models import Questionnaire, QuestionnaireElement


class ElementInline(admin.StackedInline):
    model = QuestionnaireElement
    fields = ["code", "question_id", "options_id", "question_en", "options_en"]
    readonly_fields = ["code"]
    extra = 0
    can_delete = False
    max_num = 9

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return (
            obj is not None and not obj.is_published and super().has_change_permission(request, obj)
        )


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "status", "published_at"]
    readonly_fields = ["version", "status", "published_at", "created_by", "created_at"]
    fields = [
        "version",
        "title",
        "legal_basis",
        "intro_id",
        "intro_en",
        "status",
        "published_at",
        "created_by",
        "created_at",
    ]
    inlines = [ElementInline]
    actions = ["new_draft", "publish"]

    def has_add_permission(self, request) -> bool:
        return False  # through the "new draft" action only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    @admin.action(description=_("Buat draf versi baru dari versi terbit terakhir"))
    def new_draft(self, request, queryset):
        try:
            draft = services.questionnaire_draft_create(actor=request.user)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(request, _("Draf versi %(v)s dibuat.") % {"v": draft.version})

    @admin.action(description=_("Terbitkan draf yang dipilih"))
    def publish(self, request, queryset):
        for questionnaire in queryset:
            try:
                services.questionnaire_publish(actor=request.user, questionnaire=questionnaire)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(request, _("Versi %(v)s terbit.") % {"v": questionnaire.version})
