"""What the monitoring pages share: the period form, chart building and the region table's
columns (page and export use the same)."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shared.monitoring import charts
from shared.monitoring.selectors import FLAG_LABELS, Period, RegionRow

REGION_COLUMNS = [
    ("code", gettext_lazy("Kode"), lambda r: r.code),
    ("name", gettext_lazy("Kabupaten/kota"), lambda r: r.name),
    ("province", gettext_lazy("Provinsi"), lambda r: r.province_name),
    ("received", gettext_lazy("Permohonan masuk"), lambda r: r.figures["applications_received"]),
    ("completed", gettext_lazy("Selesai"), lambda r: r.figures["applications_completed"]),
    ("rejected", gettext_lazy("Ditolak"), lambda r: r.figures["applications_rejected"]),
    ("sla", gettext_lazy("Tepat waktu (%)"), lambda r: r.figures["sla"]),
    ("overdue", gettext_lazy("Terlambat"), lambda r: r.figures["applications_overdue"]),
    ("p50", gettext_lazy("Lama proses median (hari kerja)"), lambda r: r.figures["processing_days_p50"]),
    ("p90", gettext_lazy("Lama proses P90 (hari kerja)"), lambda r: r.figures["processing_days_p90"]),
    ("online", gettext_lazy("Daring"), lambda r: r.figures["channel_online"]),
    ("assisted", gettext_lazy("Dibantu petugas"), lambda r: r.figures["channel_assisted"]),
    ("counter", gettext_lazy("Loket (datang langsung)"), lambda r: r.figures["channel_counter"]),
    ("served", gettext_lazy("Antrean dilayani"), lambda r: r.figures["tickets_served"]),
    ("no_show", gettext_lazy("Tidak hadir"), lambda r: r.figures["tickets_no_show"]),
    ("wait", gettext_lazy("Tunggu median (menit)"), lambda r: r.figures["wait_minutes_p50"]),
    ("complaints", gettext_lazy("Pengaduan masuk"), lambda r: r.figures["complaints_received"]),
    ("complaints_on_time", gettext_lazy("Pengaduan tepat waktu (%)"), lambda r: r.figures["complaints_on_time"]),
    ("complaints_overdue", gettext_lazy("Pengaduan terlambat"), lambda r: r.figures["complaints_overdue_now"]),
    ("skm", gettext_lazy("Responden SKM"), lambda r: r.figures["skm_respondents"]),
    ("ikm", gettext_lazy("IKM"), lambda r: r.figures["ikm"]),
    ("ikm_grade", gettext_lazy("Mutu IKM"), lambda r: r.figures["ikm_grade"]),
    ("offerings", gettext_lazy("Layanan aktif"), lambda r: r.figures["offerings_active"]),
    ("flags", gettext_lazy("Perlu perhatian"), lambda r: "; ".join(str(FLAG_LABELS[f]) for f in r.flags)),
]  # fmt: skip


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
