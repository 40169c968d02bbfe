"""The national dashboard (KemenPANRB superadmins, national host): headline figures with their
trend, charts, tables per province and region with sort and filter, a ranking, attention flags,
a region's drill-down page, exports and on-demand roll-ups. Reads only roll-up tables."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from kernel.errors import DomainError
from kernel.routing import region_url
from shared.access.pages import SuperadminRequiredMixin
from shared.monitoring import charts, registry, rollups, selectors
from shared.monitoring.exports import FORMATS, table_response
from shared.monitoring.views import fragments
from shared.monitoring.views.common import REGION_COLUMNS, chart_blocks, export_table
from shared.regions.models import Province, Region

PAGE_SIZE = 25  # rows of the region table per page (a phone, and the template cost)


def _filters(request) -> dict:
    g = request.GET
    return {
        "q": (g.get("q") or "").strip()[:100],
        "flag": g.get("flag") if g.get("flag") in {"", "any", *selectors.FLAG_LABELS} else "",
        "sort": g.get("sort")
        if (g.get("sort") or "").lstrip("-") in selectors.SORT_KEYS
        else "code",
    }


class DashboardView(SuperadminRequiredMixin, View):
    template_name = "monitoring/dashboard.html"

    def get(self, request):
        token, last_job, progress = rollups.dashboard_state()
        with selectors.one_version(token):
            return self._get(request, last_job, progress)

    def _get(self, request, last_job, last_job_progress):
        status = 200
        errors = []
        try:
            period = selectors.parse_period(request.GET)
            province = selectors.parse_province(request.GET.get("province"))
        except DomainError as exc:
            errors.append(exc.message)
            status = 400
            period = selectors.parse_period({})
            province = None
        filters = _filters(request)
        province_code = province.code if province is not None else ""
        data = selectors.dashboard_data(period, province)
        regions = data["regions"]
        shown = selectors.filter_sort(regions, **filters)
        page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
        series = data["series"]
        totals = data["totals"][0]
        base = {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            **({"province": province.code} if province else {}),
        }
        context = {
            "period": period,
            "province": province,
            "provinces": selectors.cached(
                "provinces", lambda: list(Province.objects.order_by("name"))
            ),
            "errors": errors,
            "province_rows": data["provinces"],
            "page": page,
            "region_count": len(regions),
            "shown_count": len(shown),
            "filters": filters,
            "flag_labels": selectors.FLAG_LABELS,
            "flag_counts": data["flag_counts"],
            "stalled": registry.stalled_onboardings(),
            "ranking": data["ranking"],
            "query": urlencode({**base, **{k: v for k, v in filters.items() if v}}),
            "base_query": urlencode(base),
            "filter_query": urlencode(
                {**base, **{k: v for k, v in filters.items() if v and k != "sort"}}
            ),
            "last_job": last_job,
            "last_job_progress": last_job_progress,
            # One reverse() instead of one per row.
            "region_base": reverse("monitoring:region", args=["00.00"]).removesuffix("00.00/"),
        }
        # The parts that depend only on the figures, the period and the language are rendered
        # once per roll-up version (the template engine is most of a page's time).
        fragment = f"{get_language()}:{period.start}:{period.end}:{province_code}"
        context["headline"], context["headline_html"] = selectors.cached(
            f"html:headline:{fragment}",
            lambda: fragments.headline(period, province, data["totals"]),
        )
        context["rows_html"] = fragments.region_rows_html(
            page, region_base=context["region_base"], base_query=context["base_query"]
        )
        context["charts_html"] = selectors.cached(
            f"html:charts:{fragment}",
            lambda: render_to_string(
                "monitoring/_dashboard_charts.html", _charts_context(series, totals)
            ),
        )
        context["provinces_html"] = selectors.cached(
            f"html:provinces:{fragment}",
            lambda: render_to_string("monitoring/_provinces_table.html", context),
        )
        context["ranking_html"] = selectors.cached(
            f"html:ranking:{fragment}",
            lambda: render_to_string("monitoring/_ranking.html", context),
        )
        context["province_options"] = selectors.cached(
            f"html:options:{fragment}",
            lambda: mark_safe(  # noqa: S308 - format_html_join escapes every name
                format_html_join(
                    "",
                    '<option value="{}"{}>{}</option>',
                    (
                        (p.code, mark_safe(" selected") if p.code == province_code else "", p.name)
                        for p in context["provinces"]
                    ),
                )
            ),
        )
        return render(request, self.template_name, context, status=status)


def _charts_context(series: dict, totals: dict) -> dict:
    channels = [
        (_("Daring"), totals.get("channel_online")),
        (_("Dibantu petugas"), totals.get("channel_assisted")),
        (_("Loket (datang langsung)"), totals.get("channel_counter")),
    ]
    return {
        "charts": chart_blocks(series, prefix="nat"),
        "channel_chart": charts.bar_chart(
            chart_id="nat-channel", title=_("Saluran permohonan"), items=channels
        ),
        "channel_rows": channels,
    }


class RegionPageView(SuperadminRequiredMixin, View):
    """Drill-down: one region's trends and figures beside the national median."""

    template_name = "monitoring/region.html"

    def get(self, request, code: str):
        region = Region.objects.select_related("province").filter(code=code).first()
        if region is None:
            raise Http404(_("Wilayah tidak ditemukan."))
        status, errors = 200, []
        try:
            period = selectors.parse_period(request.GET)
        except DomainError as exc:
            errors.append(exc.message)
            status = 400
            period = selectors.parse_period({})
        context = region_context(region, period)
        context |= {"errors": errors, "site_url": region_url(region.slug)}
        return render(request, self.template_name, context, status=status)


def region_context(region: Region, period: selectors.Period) -> dict:
    rows = selectors.dashboard_data(period)["regions"]
    mine = next((r for r in rows if r.id == region.pk), None)
    medians = selectors.national_medians(rows)
    figures = mine.figures if mine else {}
    compare = [
        {
            "key": key,
            "label": label,
            "kind": kind,
            "value": figures.get(key),
            "median": medians.get(key),
        }
        for key, label, kind, _better in selectors.HEADLINES
    ]
    compare.append(
        {
            "key": "online_share",
            "label": _("Permohonan daring (%)"),
            "kind": "percent",
            "value": figures.get("online_share"),
            "median": medians.get("online_share"),
        }
    )
    return {
        "region": region,
        "period": period,
        "row": mine,
        "compare": compare,
        "flag_labels": selectors.FLAG_LABELS,
        "charts": chart_blocks(selectors.region_series(region.pk, period), prefix="reg"),
        "base_query": urlencode({"start": period.start.isoformat(), "end": period.end.isoformat()}),
    }


class ExportView(SuperadminRequiredMixin, View):
    def get(self, request, fmt: str):
        if fmt not in FORMATS:
            raise Http404
        try:
            period = selectors.parse_period(request.GET)
            province = selectors.parse_province(request.GET.get("province"))
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("monitoring:dashboard")
        rows = selectors.filter_sort(
            selectors.dashboard_data(period, province)["regions"], **_filters(request)
        )
        headers, data = export_table(rows)
        return table_response(
            filename=f"pemantauan-mpp-{period.start:%Y%m%d}-{period.end:%Y%m%d}",
            fmt=fmt,
            headers=headers,
            rows=data,
        )


class RollupRequestView(SuperadminRequiredMixin, View):
    """On demand: recompute one region (or all) over a date range."""

    def post(self, request):
        try:
            start = selectors.parse_date(request.POST.get("start"), _("Tanggal awal"))
            end = selectors.parse_date(request.POST.get("end"), _("Tanggal akhir"))
            job = rollups.rollup_request(
                actor=request.user,
                start=start,
                end=end,
                region_code=(request.POST.get("region") or "").strip(),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Rekap %(start)s–%(end)s untuk %(n)s daerah dijadwalkan.")
                % {"start": job.start, "end": job.end, "n": job.items.count()},
            )
        return redirect("monitoring:dashboard")


__all__ = ["REGION_COLUMNS", "DashboardView", "ExportView", "RegionPageView", "RollupRequestView"]
