"""The Django admin of the national catalogue (superadmins, national site).

Writes never go straight to the models: ``save_model`` / ``save_related`` hand the form and its
inlines to ``catalogue.services``, so an edit here is a new ``ServiceVersion`` with who, when and
what changed — exactly like an edit through the API or an import.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from shared.catalogue import services
from shared.catalogue.models import (
    Agency,
    Category,
    Channel,
    DocumentType,
    LifeEvent,
    ProcedureStep,
    Requirement,
    Service,
    ServiceAvailability,
    ServiceVersion,
)
from shared.catalogue.selectors import FIELD_LABELS, snapshot_diff


def _mark_formsets_saved(formsets) -> None:
    # The admin's change message reads what formset.save() would have recorded; the services
    # saved the inlines instead.
    for formset in formsets:
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


def _kept_forms(formset):
    """The inline forms that remain after the edit, in the order their positions give."""
    kept = []
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE"):
            continue
        if form.instance.pk is None and not form.has_changed():
            continue
        kept.append((data.get("position") or 0, index, form, data))
    kept.sort(key=lambda item: (item[0], item[1]))
    return [(form, data) for _pos, _i, form, data in kept]


class RequirementInline(admin.TabularInline):
    model = Requirement
    fields = ["position", "document_type", "text", "is_mandatory"]
    autocomplete_fields = ["document_type"]
    extra = 1
    ordering = ["position", "id"]


class ProcedureStepInline(admin.TabularInline):
    model = ProcedureStep
    fields = ["position", "text"]
    extra = 1
    ordering = ["position", "id"]


class ServiceVersionInline(admin.TabularInline):
    model = ServiceVersion
    fields = ("number", "created_at", "changed_by", "changed_fields_display", "note")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-number"]
    verbose_name_plural = _("riwayat versi")

    @admin.display(description=_("yang berubah"))
    def changed_fields_display(self, obj):
        return ", ".join(str(FIELD_LABELS.get(f, f)) for f in obj.changed_fields)

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class ServiceAdminForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("kanal"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cara warga memperoleh layanan ini."),
    )
    change_note = forms.CharField(
        label=_("catatan perubahan"),
        max_length=300,
        required=False,
        help_text=_('Mis. "Penyesuaian tarif menurut PP terbaru". Tampil di riwayat versi.'),
    )

    class Meta:
        model = Service
        fields = [
            "code",
            "name",
            "agency",
            "category",
            "life_events",
            "is_active",
            "summary",
            "synonyms",
            "channels",
            "completion_days",
            "completion_note",
            "fee_kind",
            "fee_amount",
            "fee_basis",
            "product",
            "complaint_handling",
            "legal_basis",
        ]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    form = ServiceAdminForm
    list_display = [
        "name",
        "agency",
        "category",
        "fee_display",
        "completion_days",
        "version",
        "is_active",
        "updated_at",
    ]
    list_filter = ["is_active", "fee_kind", "agency__kind", "agency", "category", "life_events"]
    list_select_related = ["agency", "category"]
    search_fields = ["name", "code", "synonyms", "agency__name", "agency__abbreviation"]
    autocomplete_fields = ["agency", "category"]
    filter_horizontal = ["life_events"]
    readonly_fields = ["version", "updated_at"]
    inlines = [RequirementInline, ProcedureStepInline, ServiceVersionInline]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["code", "name", "agency", "category", "life_events", "is_active"]}),
        (_("Untuk warga"), {"fields": ["summary", "synonyms", "channels"]}),
        (
            _("Standar pelayanan"),
            {
                "fields": [
                    "completion_days",
                    "completion_note",
                    "fee_kind",
                    "fee_amount",
                    "fee_basis",
                    "product",
                    "complaint_handling",
                    "legal_basis",
                ],
                "description": _(
                    "Persyaratan dan prosedur diisi di bawah. Setiap penyimpanan yang mengubah "
                    "isi menjadi versi baru."
                ),
            },
        ),
        (_("Versi"), {"fields": ["change_note", "version", "updated_at"]}),
    ]

    @admin.display(description=_("biaya"), ordering="fee_amount")
    def fee_display(self, obj):
        if obj.is_free:
            return _("Gratis")
        return f"Rp{int(obj.fee_amount):,}".replace(",", ".")

    def view_on_site(self, obj):
        return reverse("catalogue:service", kwargs={"code": obj.code})

    def has_delete_permission(self, request, obj=None):
        # Regions' offerings point at services: retire one by unticking "aktif" instead.
        return False

    def save_model(self, request, obj, form, change):
        """Deferred to ``save_related``: the service and its inlines become one version."""

    def save_related(self, request, form, formsets, change):
        data = {
            name: form.cleaned_data[name]
            for name in services.SNAPSHOT_FIELDS
            if name in form.cleaned_data
        }
        data["life_events"] = list(form.cleaned_data.get("life_events") or [])
        for formset in formsets:
            if formset.model is Requirement:
                data["requirements"] = [
                    {
                        "id": form_.instance.pk,
                        "document_type": d.get("document_type"),
                        "text": d.get("text") or "",
                        "is_mandatory": d.get("is_mandatory", True),
                    }
                    for form_, d in _kept_forms(formset)
                ]
            elif formset.model is ProcedureStep:
                data["steps"] = [d.get("text") or "" for _form, d in _kept_forms(formset)]
        note = form.cleaned_data.get("change_note") or ""
        if change:
            saved = services.service_update(
                actor=request.user, service=form.instance, note=note, **data
            )
        else:
            saved = services.service_create(actor=request.user, note=note, **data)
        form.instance.pk = saved.pk
        form.instance.version = saved.version
        form.instance._state.adding = False
        _mark_formsets_saved(formsets)


class _ServiceFunctionAdmin(admin.ModelAdmin):
    """Reference data saved through the catalogue services (audit, search refresh)."""

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data
        }
        saved = self.save_through_services(request.user, obj, fields, change)
        obj.pk = saved.pk
        obj._state.adding = False

    def save_through_services(self, actor, obj, fields, change):  # pragma: no cover - abstract
        raise NotImplementedError


@admin.register(Agency)
class AgencyAdmin(_ServiceFunctionAdmin):
    list_display = ["name", "abbreviation", "kind", "parent", "service_count"]
    list_filter = ["kind"]
    search_fields = ["name", "abbreviation", "code"]
    autocomplete_fields = ["parent"]
    fields = ["code", "name", "abbreviation", "kind", "parent"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent").annotate(n=Count("services"))

    @admin.display(description=_("layanan"), ordering="n")
    def service_count(self, obj):
        return obj.n

    def has_delete_permission(self, request, obj=None):
        return False

    def save_through_services(self, actor, obj, fields, change):
        if change:
            return services.agency_update(actor=actor, agency=obj, **fields)
        return services.agency_create(actor=actor, **fields)


@admin.register(DocumentType)
class DocumentTypeAdmin(_ServiceFunctionAdmin):
    list_display = ["name", "code", "description"]
    search_fields = ["name", "code", "description"]
    fields = ["code", "name", "description"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_through_services(self, actor, obj, fields, change):
        if change:
            return services.document_type_update(actor=actor, document_type=obj, **fields)
        return services.document_type_create(actor=actor, **fields)


@admin.register(Category)
class CategoryAdmin(_ServiceFunctionAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def save_through_services(self, actor, obj, fields, change):
        return services.category_save(
            actor=actor, code=fields.get("code", obj.code), name=fields["name"]
        )


@admin.register(LifeEvent)
class LifeEventAdmin(_ServiceFunctionAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def save_through_services(self, actor, obj, fields, change):
        return services.life_event_save(
            actor=actor, code=fields.get("code", obj.code), name=fields["name"]
        )


@admin.register(ServiceVersion)
class ServiceVersionAdmin(admin.ModelAdmin):
    """Read-only: versions are written by the catalogue services only."""

    list_display = ["service", "number", "created_at", "changed_by", "changed", "note"]
    list_select_related = ["service", "changed_by"]
    search_fields = ["service__name", "service__code", "note"]
    date_hierarchy = "created_at"
    fields = ("service", "number", "created_at", "changed_by", "note", "diff")
    readonly_fields = fields

    @admin.display(description=_("yang berubah"))
    def changed(self, obj):
        return ", ".join(str(FIELD_LABELS.get(f, f)) for f in obj.changed_fields)

    @admin.display(description=_("perubahan dari versi sebelumnya"))
    def diff(self, obj):
        previous = ServiceVersion.objects.filter(service=obj.service, number=obj.number - 1).first()
        if previous is None:
            return _("Versi pertama.")
        rows = snapshot_diff(previous.snapshot, obj.snapshot)
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
            _("isian"),
            _("sebelum"),
            _("sesudah"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                ((c.label, c.before, c.after) for c in rows),
            ),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ServiceAvailability)
class ServiceAvailabilityAdmin(admin.ModelAdmin):
    """Read-only: the regions' offering changes keep this index current."""

    list_display = ["service", "region", "channels", "updated_at"]
    list_select_related = ["service", "region"]
    list_filter = ["region__province"]
    search_fields = ["service__name", "region__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
