"""The dashboard's repeated markup written in Python: the region table's rows, the headline
figures and the attention flags. The template engine costs a few microseconds per node, and the
25 rows and ten figures were most of the page's nodes; the markup is the same."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape as _escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from shared.monitoring import selectors
from shared.monitoring.selectors import FLAG_LABELS, Period, RegionRow
from shared.monitoring.templatetags.monitoring_tags import delta, figure
from shared.regions.models import Province


def escape(value) -> str:
    return _escape(str(value))


def region_rows_html(rows: Iterable[RegionRow], *, region_base: str, base_query: str) -> SafeString:
    """``<tr>`` of the region table for ``rows`` (a page of RegionRow)."""
    labels = {key: escape(label) for key, label in FLAG_LABELS.items()}
    link_tail = f"/?{escape(base_query)}"
    base = escape(region_base)
    out = []
    for r in rows:
        f = r.figures
        code = escape(r.code)
        flags = "".join(
            f'<li><span class="badge badge-bad">{labels.get(flag, escape(flag))}</span></li>'
            for flag in r.flags
        )
        grade = escape(f.get("ikm_grade") or "")
        out.append(
            f'<tr data-code="{code}">'
            f'<th scope="row"><a href="{base}{code}{link_tail}">{escape(r.name)}</a> '
            f'<span class="muted">{code}</span></th>'
            f"<td>{escape(r.province_name)}</td>"
            f'<td class="num">{figure(f.get("applications_received"))}</td>'
            f'<td class="num">{figure(f.get("sla"), "percent")}</td>'
            f'<td class="num">{figure(f.get("tickets_served"))}</td>'
            f'<td class="num">{figure(f.get("complaints_on_time"), "percent")}</td>'
            f'<td class="num">{figure(f.get("ikm"), "decimal")} {grade}</td>'
            f'<td><ul class="flags">{flags}</ul></td></tr>'
        )
    if not out:
        out.append(f'<tr><td colspan="8">{escape(_("Tidak ada MPP yang cocok."))}</td></tr>')
    return mark_safe("".join(out))  # noqa: S308 - every text in it went through escape()


def headline(period: Period, province: Province | None, totals) -> tuple[list[dict], SafeString]:
    """The headline figures (``selectors.headline``) and their ``<li>``."""
    items = selectors.headline(period, province, totals=totals)
    compared = escape(_("dibanding periode sebelumnya"))
    out = []
    for h in items:
        badge = f' <span class="badge">{escape(h["grade"])}</span>' if h["grade"] else ""
        trend = ""
        if h["delta"] is not None:
            trend = (
                f'<span class="trend {escape(h["trend"])}">{escape(delta(h["delta"], h["kind"]))}'
                f' <span class="sr-only">{compared}</span></span>'
            )
        out.append(
            f'<li class="figure" data-key="{escape(h["key"])}">'
            f'<span class="label">{escape(h["label"])}</span>'
            f'<span class="value">{escape(figure(h["value"], h["kind"]))}{badge}</span>'
            f"{trend}</li>"
        )
    return items, mark_safe("".join(out))  # noqa: S308 - every text went through escape()
