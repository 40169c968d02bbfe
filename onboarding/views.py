"""The superadmin console on the national site: the onboarding board, a region's page with its
timeline, documents and the actions of its stage, bulk upload, and readiness indicators."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from kernel.errors import DomainError
from kernel.routing import region_url
from onboarding import bulk, selectors, services
from onboarding.actions import run_action
from onboarding.forms import (
    BulkUploadForm,
    CommitmentForm,
    DesignateForm,
    DocumentForm,
    IndicatorForm,
    OffboardForm,
    ProvisionForm,
    ReadinessForm,
    ReasonForm,
    ReopenForm,
    SuspendForm,
)
from onboarding.models import BulkBatch, Onboarding, OnboardingDocument, ReadinessIndicator, Stage
from shared.access.pages import SuperadminRequiredMixin
from shared.regions.models import Mpp, Province, Region

# URL slug → (service action, form class)
ACTIONS = {
    "nilai": ("assess", None),
    "tolak": ("reject", ReasonForm),
    "buka-kembali": ("reopen", ReopenForm),
    "tetapkan": ("designate", DesignateForm),
    "siapkan": ("provision", ProvisionForm),
    "ulangi": ("retry", None),
    "tangguhkan": ("suspend", SuspendForm),
    "pulihkan": ("reinstate", ReopenForm),
    "berhentikan": ("offboard", OffboardForm),
}
SLUG_OF = {action: slug for slug, (action, _form) in ACTIONS.items()}


def _region(code: str) -> Region:
    return get_object_or_404(Region.objects.select_related("province"), code=code)


class BoardView(SuperadminRequiredMixin, View):
    def get(self, request):
        province = request.GET.get("provinsi", "")
        stage = request.GET.get("tahap", "")
        query = request.GET.get("q", "").strip()[:100]
        if stage not in dict(selectors.BOARD_STAGES):
            stage = ""
        regions = selectors.board_regions(province=province, stage=stage, query=query)
        page = Paginator(regions, 50).get_page(request.GET.get("halaman"))
        counts = selectors.stage_counts()
        return render(
            request,
            "onboarding/board.html",
            {
                "rows": selectors.board_rows(page.object_list),
                "page": page,
                "provinces": Province.objects.all(),
                "stages": [(s, label, counts.get(s, 0)) for s, label in selectors.BOARD_STAGES],
                "filters": {"provinsi": province, "tahap": stage, "q": query},
                "total": page.paginator.count,
            },
        )


def _region_context(request, region: Region, forms: dict | None = None) -> dict:
    onboarding = selectors.onboarding_for(region)
    forms = forms or {}
    context = {
        "region": region,
        "onboarding": onboarding,
        "forms": forms,
        "mpp": Mpp.objects.filter(region=region).first(),
        "site_url": region_url(region.slug, "/"),
    }
    if onboarding is None or onboarding.stage == Stage.OFFBOARDED:
        context["commitment_form"] = forms.get("commit") or CommitmentForm()
    if onboarding is None:
        return context
    values = {v.indicator_id: v for v in onboarding.readiness_values.select_related("indicator")}
    indicators = ReadinessIndicator.objects.filter(is_active=True)
    context.update(
        {
            "actions": services.allowed_actions(onboarding),
            "action_slugs": SLUG_OF,
            "documents": onboarding.documents.select_related("uploaded_by"),
            "readiness": [(i, values.get(i.pk)) for i in indicators],
            "readiness_form": forms.get("readiness")
            or ReadinessForm(indicators=indicators, values=values),
            "readiness_gaps": services.readiness_gaps(onboarding)
            if onboarding.stage == Stage.COMMITTED
            else [],
            "document_form": forms.get("document") or DocumentForm(),
            "reject_form": forms.get("reject") or ReasonForm(),
            "reopen_form": forms.get("reopen") or ReopenForm(),
            "designate_form": forms.get("designate")
            or DesignateForm(
                initial={"admin_email": onboarding.admin_email, "admin_name": onboarding.admin_name}
            ),
            "provision_form": forms.get("provision")
            or ProvisionForm(
                initial={"admin_email": onboarding.admin_email, "admin_name": onboarding.admin_name}
            ),
            "suspend_form": forms.get("suspend") or SuspendForm(),
            "reinstate_form": forms.get("reinstate") or ReopenForm(),
            "offboard_form": forms.get("offboard") or OffboardForm(),
            "progress": selectors.progress(onboarding),
            "timeline": selectors.timeline(onboarding),
            "progress_url": reverse(
                "api-onboarding-progress", kwargs={"code": region.code}, urlconf=request.urlconf
            ),
        }
    )
    return context


def _render_region(request, region, forms=None, status=200):
    return render(
        request, "onboarding/region.html", _region_context(request, region, forms), status=status
    )


class RegionView(SuperadminRequiredMixin, View):
    def get(self, request, code):
        return _render_region(request, _region(code))


def _back(region) -> HttpResponse:
    return redirect("onboarding:region", code=region.code)


class CommitView(SuperadminRequiredMixin, View):
    def post(self, request, code):
        region = _region(code)
        form = CommitmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.onboarding_commit(actor=request.user, region=region, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Komitmen %(r)s tercatat.") % {"r": region.name})
                return _back(region)
        return _render_region(request, region, {"commit": form}, status=400)


def _open_onboarding(region) -> Onboarding:
    onboarding = selectors.onboarding_for(region)
    if onboarding is None:
        raise Http404(_("Daerah ini belum memulai onboarding."))
    return onboarding


class DocumentUploadView(SuperadminRequiredMixin, View):
    def post(self, request, code):
        region = _region(code)
        onboarding = _open_onboarding(region)
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.document_attach(
                    actor=request.user,
                    onboarding=onboarding,
                    kind=form.cleaned_data["kind"],
                    uploaded=form.cleaned_data["document"],
                )
            except DomainError as exc:
                form.add_error("document", exc.message)
            else:
                messages.success(request, _("Dokumen tersimpan."))
                return _back(region)
        return _render_region(request, region, {"document": form}, status=400)


class ReadinessView(SuperadminRequiredMixin, View):
    def post(self, request, code):
        region = _region(code)
        onboarding = _open_onboarding(region)
        indicators = ReadinessIndicator.objects.filter(is_active=True)
        values = {v.indicator_id: v for v in onboarding.readiness_values.all()}
        form = ReadinessForm(request.POST, indicators=indicators, values=values)
        if form.is_valid():
            try:
                services.readiness_record(
                    actor=request.user, onboarding=onboarding, values=form.values()
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Penilaian kesiapan tersimpan."))
                return _back(region)
        return _render_region(request, region, {"readiness": form}, status=400)


DONE_MESSAGES = {
    "assess": _("Kesiapan dinyatakan memenuhi."),
    "reject": _("Onboarding ditolak."),
    "reopen": _("Onboarding dibuka kembali."),
    "designate": _("Daerah ditetapkan."),
    "provision": _("Penyiapan MPP dimulai."),
    "retry": _("Penyiapan diulang dari langkah yang gagal."),
    "suspend": _("MPP ditangguhkan."),
    "reinstate": _("MPP aktif kembali."),
    "offboard": _("Pemberhentian dimulai: arsip dibuat, lalu skema dihapus."),
}


class ActionView(SuperadminRequiredMixin, View):
    def post(self, request, code, slug):
        if slug not in ACTIONS:
            raise Http404
        action, form_class = ACTIONS[slug]
        region = _region(code)
        onboarding = _open_onboarding(region)
        form = form_class(request.POST) if form_class else None
        if form is not None and not form.is_valid():
            return _render_region(request, region, {action: form}, status=400)
        try:
            run_action(
                action=action,
                actor=request.user,
                onboarding=onboarding,
                data=form.cleaned_data if form is not None else {},
            )
        except DomainError as exc:
            if form is None:
                messages.error(request, exc.message)
                return _back(region)
            form.add_error(None, exc.message)
            if action not in services.allowed_actions(onboarding):
                messages.error(request, exc.message)  # its form is not on the page
            return _render_region(request, region, {action: form}, status=400)
        messages.success(request, str(DONE_MESSAGES[action]))
        return _back(region)


class DocumentDownloadView(SuperadminRequiredMixin, View):
    def get(self, request, pk):
        document = get_object_or_404(OnboardingDocument, pk=pk)
        if not document.file.name or not document.file.storage.exists(document.file.name):
            raise Http404(_("Berkas tidak ditemukan."))
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404(_("Berkas dokumen ini tidak ditemukan di penyimpanan.")) from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class BulkUploadView(SuperadminRequiredMixin, View):
    template_name = "onboarding/bulk.html"

    def get(self, request):
        return render(
            request,
            self.template_name,
            {"form": BulkUploadForm(), "batches": BulkBatch.objects.all()[:10]},
        )

    def post(self, request):
        form = BulkUploadForm(request.POST, request.FILES)
        context = {"form": form, "batches": BulkBatch.objects.all()[:10]}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        upload = form.cleaned_data["file"]
        if upload.size > bulk.MAX_BYTES:
            form.add_error("file", _("Berkas terlalu besar (maksimal 1 MB)."))
            return render(request, self.template_name, context, status=400)
        validation = bulk.bulk_validate(upload.read())
        if not validation.ok:
            context["errors"] = validation.errors
            return render(request, self.template_name, context, status=400)
        try:
            batch = bulk.bulk_apply(
                actor=request.user, validation=validation, file_name=upload.name
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            return render(request, self.template_name, context, status=409)
        if batch is None:
            # Every region of the file is live or on its way: a re-run changes nothing.
            context["skipped"] = validation.skipped
            return render(request, self.template_name, context)
        if validation.skipped:
            messages.info(
                request,
                _(
                    "%(n)d daerah sudah live atau sedang disiapkan, tidak ada yang perlu "
                    "dilakukan: %(names)s."
                )
                % {
                    "n": len(validation.skipped),
                    "names": ", ".join(row.name for row in validation.skipped),
                },
            )
        messages.success(
            request,
            _("%(n)d daerah ditetapkan; penyiapan berjalan di latar belakang.")
            % {"n": batch.row_count},
        )
        return redirect("onboarding:batch", pk=batch.pk)


class BulkTemplateView(SuperadminRequiredMixin, View):
    def get(self, request):
        response = HttpResponse(bulk.TEMPLATE_CSV, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="onboarding-massal.csv"'
        return response


class BatchView(SuperadminRequiredMixin, View):
    def get(self, request, pk):
        batch = get_object_or_404(BulkBatch, pk=pk)
        onboardings = batch.onboardings.select_related("region").order_by("region__code")
        return render(
            request,
            "onboarding/batch.html",
            {
                "batch": batch,
                "progress": selectors.batch_progress(batch),
                "onboardings": onboardings,
                "progress_url": reverse(
                    "api-onboarding-batch", kwargs={"pk": batch.pk}, urlconf=request.urlconf
                ),
            },
        )


class IndicatorListView(SuperadminRequiredMixin, View):
    def get(self, request):
        return self._render(request, IndicatorForm())

    def post(self, request):
        form = IndicatorForm(request.POST)
        if form.is_valid():
            try:
                data = form.cleaned_data
                indicator = services.indicator_create(
                    actor=request.user,
                    code=data["code"],
                    name=data["name"],
                    kind=data["kind"],
                    threshold=data["threshold"],
                    description=data["description"],
                    position=data["position"] or 0,
                )
                if not data["is_active"]:
                    services.indicator_update(
                        actor=request.user, indicator=indicator, is_active=False
                    )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Indikator ditambahkan."))
                return redirect("onboarding:indicators")
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        return render(
            request,
            "onboarding/indicators.html",
            {"indicators": ReadinessIndicator.objects.all(), "form": form},
            status=status,
        )


def _edit_form(*args, **kwargs) -> IndicatorForm:
    form = IndicatorForm(*args, **kwargs)
    form.fields["code"].disabled = True  # the code identifies the indicator in the API
    return form


class IndicatorEditView(SuperadminRequiredMixin, View):
    def get(self, request, pk):
        indicator = get_object_or_404(ReadinessIndicator, pk=pk)
        return render(
            request,
            "onboarding/indicator_form.html",
            {"indicator": indicator, "form": _edit_form(instance=indicator)},
        )

    def post(self, request, pk):
        indicator = get_object_or_404(ReadinessIndicator, pk=pk)
        form = _edit_form(request.POST, instance=ReadinessIndicator.objects.get(pk=pk))
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "code"}
            try:
                services.indicator_update(actor=request.user, indicator=indicator, **data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Indikator diperbarui."))
                return redirect("onboarding:indicators")
        return render(
            request,
            "onboarding/indicator_form.html",
            {"indicator": indicator, "form": form},
            status=400,
        )
