"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, readable on a phone (the
SVG scales to its container). Each chart is an image with a title; the page puts its data table
beside it for screen readers (``monitoring/_chart.html``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape as _html_escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 240


def escape(value) -> str:
    """The standard library's escape: Django's wraps every call for lazy strings, and a chart
    escapes a few hundred labels."""
    return _html_escape(str(value))


LEFT, RIGHT, TOP, BOTTOM = 52, 12, 12, 28


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _label(value: float) -> str:
    from shared.monitoring.templatetags.monitoring_tags import number

    return number(value, 0 if value >= 10 or value == int(value) else 1)


def data_table(
    *, caption: str, first: str, columns: Sequence[str], rows: Sequence[tuple[str, Sequence]]
) -> SafeString:
    """The chart's numbers as a table (for screen readers, and anyone who wants them)."""
    from shared.monitoring.templatetags.monitoring_tags import figure

    head = "".join(f'<th scope="col" class="num">{escape(c)}</th>' for c in columns)
    body = "".join(
        f'<tr><th scope="row">{escape(label)}</th>'
        + "".join(f'<td class="num">{escape(figure(v, "decimal"))}</td>' for v in values)
        + "</tr>"
        for label, values in rows
    )
    return mark_safe(  # noqa: S308 - every text in it went through escape()
        f'<div class="table-wrap"><table><caption class="sr-only">{escape(caption)}</caption>'
        f'<thead><tr><th scope="col">{escape(first)}</th>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def line_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    y_max: float | None = None,
) -> SafeString:
    """Lines over shared x labels; gaps (None) break a line. ``series``: (name, values)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    values = [v for _n, vs in series for v in vs if v is not None]
    top = y_max if y_max is not None else _nice_max(max(values, default=0))
    n = len(labels)

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h - plot_h * (v / top if top else 0)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t" preserveAspectRatio="xMidYMid meet">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
    ]
    for k in range(5):
        v = top * k / 4
        parts.append(
            f'<line class="gl" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}"/>'
            f'<text class="axis" x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end">'
            f"{escape(_label(v))}</text>"
        )
    if n:
        for i in sorted({0, n // 2, n - 1}):
            anchor = "start" if i == 0 else ("end" if i == n - 1 and n > 1 else "middle")
            parts.append(
                f'<text class="axis" x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}">'
                f"{escape(labels[i])}</text>"
            )
    for s, (_name, vs) in enumerate(series):
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, value in enumerate(vs):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x(i):.1f},{y(float(value)):.1f}")
        if segment:
            segments.append(segment)
        for seg in segments:
            if len(seg) == 1:
                cx, cy = seg[0].split(",")
                parts.append(f'<circle class="s{s}" cx="{cx}" cy="{cy}" r="3"/>')
            else:
                parts.append(f'<polyline class="line s{s}" points="{" ".join(seg)}"/>')
    parts.append("</svg>")
    legend = "".join(
        f'<li><span class="key s{s}" aria-hidden="true"></span>{escape(name)}</li>'
        for s, (name, _vs) in enumerate(series)
    )
    return mark_safe(  # noqa: S308 - every text in it went through escape()
        "".join(parts) + f'<ul class="legend">{legend}</ul>'
    )


def bar_chart(
    *, chart_id: str, title: str, items: Sequence[tuple[str, float | None]]
) -> SafeString:
    """Horizontal bars, one per item, scaled to the largest."""
    known = [v for _l, v in items if v is not None]
    top = _nice_max(max(known, default=0))
    row_h = 26
    height = row_h * len(items) + 8
    label_w = 150
    plot_w = WIDTH - label_w - 70
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t"><title id="{chart_id}-t">{escape(title)}</title>'
    ]
    for i, (label, value) in enumerate(items):
        y0 = 4 + i * row_h
        w = plot_w * (float(value) / top if value and top else 0)
        parts.append(
            f'<text class="axis" x="{label_w - 6}" y="{y0 + 17}" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect class="bar s{i % 4}" x="{label_w}" y="{y0 + 4}" width="{w:.1f}" height="18"/>'
            f'<text class="axis" x="{label_w + w + 6:.1f}" y="{y0 + 17}">'
            f"{escape('–' if value is None else _label(float(value)))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it went through escape()
