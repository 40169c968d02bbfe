"""The region's public site: what citizens land on. No sign-in needed.

The home page and the offering list load everything in a fixed number of queries, however many
offerings the MPP has (tests assert it).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from kernel.routing import national_url
from shared.access.pages import PublicPageMixin
from tenants.mpp import page_cache, selectors
from tenants.mpp.models import Announcement, Facility, Offering


class PublicPage(PublicPageMixin, TemplateView):
    """Anonymous visitors get a copy from the page cache (tenants/mpp/page_cache.py)."""

    public_section = ""
    cache_hit: page_cache.Lookup | None = None

    def dispatch(self, request, *args, **kwargs):
        # The gate (PublicPageMixin) has already checked the host.
        hit = self.cache_hit = page_cache.lookup(request)
        if hit is not None and hit.html is not None:
            return page_cache.serve(request, hit)
        response = super().dispatch(request, *args, **kwargs)
        if hit is not None and hasattr(response, "add_post_render_callback"):
            response.add_post_render_callback(lambda r: page_cache.store(request, hit, r))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.cache_hit is not None:
            context["csrf_token"] = page_cache.CSRF_MARKER  # never one visitor's token for all
        context["public_section"] = self.public_section
        context["region"] = getattr(self.request, "region", None)
        context["mpp"] = getattr(self.request, "tenant", None)
        return context


def _facility_labels(info) -> list[str]:
    labels = dict(Facility.choices)
    return [str(labels[f]) for f in info.facilities if f in labels]


class HomeView(PublicPage):
    template_name = "mpp/public/home.html"
    public_section = "home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offerings = selectors.public_offerings()
        info = selectors.general_info()
        context.update(
            status=selectors.mpp_status(info=info),
            info=info,
            facilities=_facility_labels(info),
            announcements=list(Announcement.objects.published()[:5]),
            agencies=selectors.group_by_agency(offerings),
            life_events=[g for g in selectors.group_by_life_event(offerings) if g.key != "lain"],
            offering_count=len(offerings),
            booths=selectors.public_booths(),
            days_off=selectors.upcoming_days_off(30, info=info)[:5],
            national_search_url=national_url("/"),
        )
        return context


class OfferingListView(PublicPage):
    template_name = "mpp/public/offerings.html"
    public_section = "offerings"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offerings = selectors.public_offerings()
        q = (self.request.GET.get("q") or "").strip()[:100]
        if q:
            words = q.lower().split()
            offerings = [
                o
                for o in offerings
                if all(w in f"{o.display_name} {o.agency_name}".lower() for w in words)
            ]
        by = "peristiwa" if self.request.GET.get("per") == "peristiwa" else "instansi"
        groups = (
            selectors.group_by_life_event(offerings)
            if by == "peristiwa"
            else selectors.group_by_agency(offerings)
        )
        context.update(groups=groups, by=by, q=q, count=len(offerings))
        return context


class OfferingDetailView(PublicPage):
    template_name = "mpp/public/offering.html"
    public_section = "offerings"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offering = (
            selectors.offerings_for_standard(Offering.objects.active())
            .filter(code=kwargs["code"])
            .first()
        )
        if offering is None:
            raise Http404(_("Layanan tidak ditemukan."))
        standard = selectors.offering_effective_standard(offering)
        weekly = selectors.offering_weekly_hours(offering)
        context.update(
            offering=offering,
            standard=standard,
            weekly=selectors.weekly_table(weekly),
            booth=offering.booth if offering.booth and offering.booth.is_active else None,
        )
        return context


class BoothListView(PublicPage):
    template_name = "mpp/public/booths.html"
    public_section = "booths"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        booths = selectors.public_booths()
        offerings = selectors.public_offerings()
        by_booth: dict[int, list[selectors.OfferingRow]] = {}
        for row in offerings:
            if row.booth_id:
                by_booth.setdefault(row.booth_id, []).append(row)
        for booth in booths:
            booth.offering_list = by_booth.get(booth.booth.pk, [])
        context["booths"] = booths
        return context


class InfoView(PublicPage):
    template_name = "mpp/public/info.html"
    public_section = "info"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        info = selectors.general_info()
        context.update(
            info=info,
            facilities=_facility_labels(info),
            status=selectors.mpp_status(info=info),
            weekly=selectors.weekly_table(selectors.mpp_weekly_hours()),
            days_off=selectors.upcoming_days_off(120, info=info),
            announcements=list(Announcement.objects.published()),
        )
        return context
