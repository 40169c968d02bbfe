"""Pages of the national site: service search, each service's published standard, agencies, and
the superadmins' import/export page. Public pages need no sign-in and no JavaScript."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from shared.access.pages import SuperadminRequiredMixin, public_view
from shared.access.policy import Host
from shared.catalogue import services
from shared.catalogue.forms import ImportForm, SearchForm
from shared.catalogue.models import Agency, Service
from shared.catalogue.search import SearchFilters
from shared.catalogue.selectors import (
    MAX_SEARCH_PAGE,
    agencies_with_counts,
    attach_live_mpps,
    browse_facets,
    mpps_by_province,
    page_too_far_message,
    service_browse,
    service_for_page,
    service_history,
    service_search,
)
from shared.regions.models import Mpp, Province

PAGE_SIZE = 20


def _page_number(request) -> int:
    """The requested page; a number past MAX_SEARCH_PAGE is refused (400), never sent to the
    database as an OFFSET it cannot hold."""
    try:
        page = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        return 1
    if page > MAX_SEARCH_PAGE:
        raise PageTooFarError
    return page


class PageTooFarError(Exception):
    pass


@public_view(host=Host.NATIONAL)
def search(request):
    """The national service search; without a query it browses by category and life event."""
    provinces = (
        Province.objects.filter(regions__mpp__status=Mpp.Status.LIVE).distinct().order_by("name")
    )
    facets = browse_facets()
    form = SearchForm(
        request.GET or None,
        agencies=facets["agencies"],
        categories=facets["categories"],
        life_events=facets["life_events"],
        provinces=provinces,
    )
    context = {"form": form, "facets": facets, "result": None, "page_obj": None}
    try:
        _page_number(request)
    except PageTooFarError:
        context["page_error"] = page_too_far_message()
        return render(request, "catalogue/search.html", context, status=400)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = SearchFilters(
            agency=data["agency"] or None,
            category=data["category"] or None,
            life_event=data["life_event"] or None,
            province=data["province"] or None,
        )
        context["filters"] = filters
        if data["q"]:
            context["result"] = service_search(
                query=data["q"], filters=filters, page=_page_number(request), page_size=PAGE_SIZE
            )
        elif any(vars(filters).values()):
            page_obj = Paginator(service_browse(filters), PAGE_SIZE).get_page(_page_number(request))
            page_obj.object_list = attach_live_mpps(page_obj.object_list, province=filters.province)
            context["page_obj"] = page_obj
    query = request.GET.copy()
    query.pop("page", None)
    context["query_string"] = query.urlencode()
    return render(request, "catalogue/search.html", context)


@public_view(host=Host.NATIONAL)
def service_detail(request, code: str):
    service = service_for_page(code=code)
    if service is None:
        raise Http404(_("Layanan tidak ditemukan."))
    history = service_history(service)
    latest = history[0] if history else None
    return render(
        request,
        "catalogue/service_detail.html",
        {
            "service": service,
            "mpps_by_province": mpps_by_province(service),
            "latest_version": latest[0] if latest else None,
            "latest_changes": latest[1] if latest else [],
        },
    )


@public_view(host=Host.NATIONAL)
def service_history_page(request, code: str):
    service = get_object_or_404(Service.objects.select_related("agency"), code=code, is_active=True)
    return render(
        request,
        "catalogue/service_history.html",
        {"service": service, "history": service_history(service)},
    )


@public_view(host=Host.NATIONAL)
def agency_list(request):
    agencies = agencies_with_counts().order_by("kind", "name")
    groups: dict[str, dict] = {}
    for agency in agencies:
        group = groups.setdefault(agency.kind, {"label": agency.get_kind_display(), "agencies": []})
        group["agencies"].append(agency)
    order = [k for k, _label in Agency.Kind.choices]
    return render(
        request,
        "catalogue/agency_list.html",
        {"groups": [groups[k] for k in order if k in groups]},
    )


@public_view(host=Host.NATIONAL)
def agency_detail(request, code: str):
    agency = get_object_or_404(
        Agency.objects.select_related("parent").prefetch_related(
            Prefetch("children", queryset=Agency.objects.order_by("name"))
        ),
        code=code,
    )
    services_qs = attach_live_mpps(
        Service.objects.filter(is_active=True, agency__in=[agency, *agency.children.all()])
        .select_related("agency", "category")
        .order_by("name")
    )
    return render(
        request, "catalogue/agency_detail.html", {"agency": agency, "services": services_qs}
    )


class ManageView(SuperadminRequiredMixin, View):
    """Superadmins: download the catalogue, and upload an updated file with a validation report."""

    template_name = "catalogue/manage.html"

    def _render(self, request, form, report=None, status=200):
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "report": report,
                "service_count": Service.objects.count(),
                "agency_count": Agency.objects.count(),
            },
            status=status,
        )

    def get(self, request):
        return self._render(request, ImportForm())

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=400)
        upload = form.cleaned_data["file"]
        report = services.catalogue_import(
            actor=request.user,
            content=upload.read(),
            filename=upload.name,
            dry_run=form.cleaned_data["dry_run"],
        )
        if report.applied:
            messages.success(
                request,
                _("Katalog diperbarui: %(c)s layanan baru, %(u)s berubah, %(n)s tetap.")
                % {"c": len(report.created), "u": len(report.updated), "n": report.unchanged},
            )
            return redirect("catalogue:manage")
        return self._render(
            request, ImportForm(), report=report, status=200 if report.valid else 400
        )
