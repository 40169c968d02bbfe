"""What the monitoring pages share: the period form, chart building and the region table's
columns (page and export use the same)."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shared.monitoring import charts
from shared.monitoring.selectors import FLAG_LABELS, Period, RegionRow


def _f(key: str):
    return lambda row: row.figures[key]


def _flags(row: RegionRow) -> str:
    return "; ".join(str(FLAG_LABELS[f]) for f in row.flags)


REGION_COLUMNS = [
    ("code", gettext_lazy("Kode"), lambda r: r.code),
    ("name", gettext_lazy("Kabupaten/kota"), lambda r: r.name),
    ("province", gettext_lazy("Provinsi"), lambda r: r.province_name),
    ("received", gettext_lazy("Permohonan masuk"), _f("applications_received")),
    ("completed", gettext_lazy("Selesai"), _f("applications_completed")),
    ("rejected", gettext_lazy("Ditolak"), _f("applications_rejected")),
    ("sla", gettext_lazy("Tepat waktu (%)"), _f("sla")),
    ("overdue", gettext_lazy("Terlambat"), _f("applications_overdue")),
    ("p50", gettext_lazy("Lama proses median (hari kerja)"), _f("processing_days_p50")),
    ("p90", gettext_lazy("Lama proses P90 (hari kerja)"), _f("processing_days_p90")),
    ("online", gettext_lazy("Daring"), _f("channel_online")),
    ("assisted", gettext_lazy("Dibantu petugas"), _f("channel_assisted")),
    ("counter", gettext_lazy("Loket (datang langsung)"), _f("channel_counter")),
    ("served", gettext_lazy("Antrean dilayani"), _f("tickets_served")),
    ("no_show", gettext_lazy("Tidak hadir"), _f("tickets_no_show")),
    ("wait", gettext_lazy("Tunggu median (menit)"), _f("wait_minutes_p50")),
    ("complaints", gettext_lazy("Pengaduan masuk"), _f("complaints_received")),
    ("complaints_on_time", gettext_lazy("Pengaduan tepat waktu (%)"), _f("complaints_on_time")),
    ("complaints_overdue", gettext_lazy("Pengaduan terlambat"), _f("complaints_overdue_now")),
    ("skm", gettext_lazy("Responden SKM"), _f("skm_respondents")),
    ("ikm", gettext_lazy("IKM"), _f("ikm")),
    ("ikm_grade", gettext_lazy("Mutu IKM"), _f("ikm_grade")),
    ("offerings", gettext_lazy("Layanan aktif"), _f("offerings_active")),
    ("flags", gettext_lazy("Perlu perhatian"), _flags),
]


def export_table(rows: list[RegionRow]):
    headers = [str(label) for _k, label, _f in REGION_COLUMNS]
    return headers, ([get(r) for _k, _l, get in REGION_COLUMNS] for r in rows)


def _date_label(d, bucket: str) -> str:
    if bucket == "month":
        return formats.date_format(d, "M Y")
    return formats.date_format(d, "j M")


def chart_blocks(series: dict, *, prefix: str) -> list[dict]:
    """The charts of a time series, each with its data table."""
    points, bucket = series["points"], series["bucket"]
    labels = [_date_label(p["date"], bucket) for p in points]
    unit = {"day": _("per hari"), "week": _("per minggu"), "month": _("per bulan")}[bucket]
    defs = [
        (
            "apps",
            _("Permohonan masuk dan selesai (%(unit)s)") % {"unit": unit},
            [(_("Masuk"), "received"), (_("Selesai"), "completed")],
            None,
        ),
        (
            "sla",
            _("Permohonan selesai tepat waktu (%%, %(unit)s)") % {"unit": unit},
            [(_("Tepat waktu (%)"), "sla")],
            100.0,
        ),
        (
            "queue",
            _("Antrean dilayani (%(unit)s)") % {"unit": unit},
            [(_("Dilayani"), "served")],
            None,
        ),
        (
            "wait",
            _("Waktu tunggu median (menit, %(unit)s)") % {"unit": unit},
            [(_("Menit"), "wait")],
            None,
        ),
    ]
    blocks = []
    for key, title, lines, y_max in defs:
        chart_id = f"{prefix}-{key}"
        blocks.append(
            {
                "id": chart_id,
                "title": title,
                "svg": charts.line_chart(
                    chart_id=chart_id,
                    title=title,
                    labels=labels,
                    series=[(name, [p[k] for p in points]) for name, k in lines],
                    y_max=y_max,
                ),
                "table": charts.data_table(
                    caption=title,
                    first=_("Periode"),
                    columns=[name for name, _k in lines],
                    rows=[
                        (label, [p[k] for _n, k in lines])
                        for label, p in zip(labels, points, strict=True)
                    ],
                ),
            }
        )
    return blocks


def period_params(period: Period) -> dict:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}
