"""Region admin pages: each offering's extra form fields, and the region's outbox."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from kernel.errors import DomainError
from shared.access.pages import RegionStaffRequiredMixin
from shared.accounts.models import ADMIN_ROLES
from shared.citizens.models import OutboxMessage
from tenants.applications import selectors, services
from tenants.applications.common import current_region
from tenants.applications.models import FormField
from tenants.mpp.models import Offering
from tenants.mpp.selectors import offering_effective_standard, offerings_for_standard


class FieldForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    label = forms.CharField(label=gettext_lazy("Pertanyaan"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis isian"),
        choices=[("", "—"), *FormField.Kind.choices],
        required=False,
    )
    choices = forms.CharField(
        label=gettext_lazy("Pilihan (satu per baris, untuk jenis Pilihan)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_required = forms.BooleanField(label=gettext_lazy("Wajib diisi"), required=False)
    help_text = forms.CharField(label=gettext_lazy("Petunjuk"), max_length=300, required=False)


FieldFormSet = forms.formset_factory(FieldForm, extra=2, can_delete=True, max_num=30)


class FormDefinitionListView(RegionStaffRequiredMixin, View):
    allowed_roles = ADMIN_ROLES

    def get(self, request):
        from django.db.models import Count, Q

        offerings = offerings_for_standard(
            Offering.objects.active().annotate(
                field_count=Count("form_fields", filter=Q(form_fields__is_active=True))
            )
        ).order_by("code")
        rows = []
        for offering in offerings:
            standard = offering_effective_standard(offering)
            rows.append(
                {
                    "offering": offering,
                    "standard": standard,
                    "online": selectors.offering_accepts_online(offering, standard),
                }
            )
        return render(request, "applications/admin/forms.html", {"rows": rows})


class FormDefinitionEditView(RegionStaffRequiredMixin, View):
    """The admin edits the extra fields of one offering's online form."""

    allowed_roles = ADMIN_ROLES
    template_name = "applications/admin/form_edit.html"

    def _offering(self, offering_id):
        offering = offerings_for_standard(Offering.objects.active()).filter(pk=offering_id).first()
        if offering is None:
            raise Http404(_("Layanan tidak ditemukan."))
        return offering

    def _render(self, offering, formset, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "offering": offering,
                "standard": offering_effective_standard(offering),
                "formset": formset,
            },
            status=status,
        )

    def get(self, request, offering_id: int):
        offering = self._offering(offering_id)
        initial = [
            {
                "key": f.key,
                "label": f.label,
                "kind": f.kind,
                "choices": "\n".join(f.choices),
                "is_required": f.is_required,
                "help_text": f.help_text,
            }
            for f in selectors.form_fields(offering)
        ]
        return self._render(offering, FieldFormSet(initial=initial))

    def post(self, request, offering_id: int):
        offering = self._offering(offering_id)
        formset = FieldFormSet(request.POST)
        if not formset.is_valid():
            return self._render(offering, formset, status=400)
        rows, positions = [], []
        for index, form in enumerate(formset.forms):
            data = form.cleaned_data
            if not data or data.get("DELETE") or not (data.get("label") or data.get("kind")):
                continue
            rows.append(data)
            positions.append(index)
        try:
            services.form_fields_save(actor=request.user, offering=offering, fields=rows)
        except DomainError as exc:
            for key, errors in exc.extra.get("errors", {}).items():
                row, _dot, name = key.partition(".")
                target = formset.forms[positions[int(row)]] if row.isdigit() else None
                for error in errors:
                    if target is not None and name in target.fields:
                        target.add_error(name, error)
                    else:
                        messages.error(request, error)
            messages.error(request, exc.message)
            return self._render(offering, formset, status=400)
        messages.success(request, _("Formulir permohonan tersimpan."))
        return redirect("applications:admin_form", offering_id=offering.pk)


class OutboxView(RegionStaffRequiredMixin, View):
    """Notifications this region sent (e-mail and the messaging gateway), recipients masked."""

    allowed_roles = ADMIN_ROLES

    def get(self, request):
        messages_ = OutboxMessage.objects.filter(region=current_region()).order_by(
            "-created_at", "-id"
        )
        page = Paginator(messages_, 50).get_page(request.GET.get("hal"))
        return render(request, "applications/admin/outbox.html", {"page": page})
