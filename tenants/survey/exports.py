"""The SKM report as CSV and PDF, in the layout of PermenPANRB 14/2017's report: NRR per
element, IKM and grade, respondents against the minimum sample, respondents by profile, the
three weakest elements, suggestions and the follow-up plan.

The PDF uses fpdf2 (pure Python) with its built-in Helvetica: no font files, no system
libraries. Helvetica covers Latin-1 only, so text outside it (an emoji in a suggestion) is
transliterated or replaced; the CSV keeps every character.
"""

from __future__ import annotations

import csv
import io
import unicodedata

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from shared.survey.elements import ELEMENT_BY_CODE
from shared.survey.index import GRADES
from tenants.survey.selectors import Report, ResultRow


def _grade_text(result) -> str:
    grade = result.grade
    return f"{grade.letter} ({grade.label})" if grade else "—"


def _num(value) -> str:
    return "—" if value is None else f"{value}"


def _sample_text(result) -> str:
    flag = _("di bawah sampel minimum") if result.below_min_sample else _("memenuhi")
    return f"{result.respondents} / {result.min_sample} ({flag})"


def report_csv(report: Report, *, region) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    r = report.result
    w.writerow([_("Laporan Survei Kepuasan Masyarakat (SKM)"), f"MPP {region.name}"])
    w.writerow([_("Periode"), report.period.label, report.period.start, report.period.end])
    w.writerow([_("Cakupan"), report.scope_label])
    w.writerow([_("Dasar hukum"), "PermenPANRB 14/2017"])
    w.writerow([])
    w.writerow([_("Unsur"), _("Kode"), "NRR", _("NRR tertimbang (× 1/9)")])
    for e in report.elements:
        w.writerow(
            [e.element.name, e.element.code.upper(), _num(e.nrr_shown), _num(e.weighted_shown)]
        )
    w.writerow([])
    w.writerow(["IKM", _num(r.ikm_shown)])
    w.writerow([_("Mutu pelayanan"), _grade_text(r)])
    w.writerow([_("Responden"), r.respondents])
    w.writerow([_("Transaksi selesai (populasi)"), r.population])
    w.writerow([_("Sampel minimum (Krejcie-Morgan)"), r.min_sample])
    w.writerow([_("Di bawah sampel minimum"), _("ya") if r.below_min_sample else _("tidak")])
    w.writerow([])
    w.writerow([_("Tiga unsur terendah")])
    for e in report.weakest:
        w.writerow([e.element.name, _num(e.nrr_shown)])
    w.writerow([])
    for table in report.profile:
        w.writerow([table.title, _("Jumlah"), "%"])
        for label, count, pct in table.rows:
            w.writerow([label, count, _num(pct)])
        w.writerow([])
    for title, rows in (
        (_("Per layanan"), report.by_offering),
        (_("Per gerai"), report.by_booth),
        (_("Per instansi"), report.by_agency),
    ):
        w.writerow([title, _("Responden"), _("Populasi"), _("Sampel minimum"), "IKM", _("Mutu")])
        for row in rows:
            w.writerow(
                [
                    row.label,
                    row.result.respondents,
                    row.result.population,
                    row.result.min_sample,
                    _num(row.result.ikm_shown),
                    _grade_text(row.result),
                ]
            )
        w.writerow([])
    w.writerow([_("Saran dan masukan"), _("Tanggal"), _("Layanan")])
    for s in report.suggestions:
        w.writerow([s.suggestion, s.date, str(s.offering) if s.offering_id else ""])
    w.writerow([])
    w.writerow([_("Rencana tindak lanjut"), _("Unsur"), _("Waktu"), _("Penanggung jawab")])
    for f in report.follow_up:
        element = ELEMENT_BY_CODE[f.element].name if f.element else _("Semua unsur")
        w.writerow([f.action, element, f.schedule, f.responsible])
    # A BOM so that spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- PDF ------------------------------------------------------------------------------------------

_REPLACEMENTS = {"–": "-", "—": "-", "≤": "<=", "≥": ">=", "×": "x", "…": "...", "’": "'",
                 "‘": "'", "“": '"', "”": '"', "•": "-"}  # fmt: skip


def latin1(text) -> str:
    """What Helvetica can print: Latin-1, other characters transliterated or replaced."""
    text = str(text)
    for a, b in _REPLACEMENTS.items():
        text = text.replace(a, b)
    try:
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for ch in text:
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(decomposed or "?")
    return "".join(out)


def report_pdf(report: Report, *, region) -> bytes:
    """The printed report; numbers in the active language's format (``88,31`` in Indonesian)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    def _num(value) -> str:  # shadows the CSV's plain formatting on purpose
        return "—" if value is None else formats.number_format(value, use_l10n=True)

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(latin1(f"SKM MPP {region.name} {report.period.label}"))
    pdf.set_creator("MPP Digital")
    pdf.add_page()
    heading = FontFace(emphasis="BOLD", fill_color=(230, 236, 245))

    def h1(text: str) -> None:
        pdf.set_font("Helvetica", "B", 14)
        pdf.multi_cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def h2(text: str) -> None:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 11)
        pdf.multi_cell(0, 6, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)

    def para(text: str) -> None:
        pdf.set_font("Helvetica", "", 9)
        pdf.multi_cell(0, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def table(header: list[str], rows: list[list], widths: tuple[int, ...]) -> None:
        pdf.set_font("Helvetica", "", 9)
        with pdf.table(col_widths=widths, headings_style=heading, line_height=5) as t:
            t.row([latin1(h) for h in header])
            for row in rows:
                t.row([latin1(c) for c in row])

    r = report.result
    h1(_("Laporan Hasil Survei Kepuasan Masyarakat"))
    p = report.period
    para(f"MPP {region.name} · {p.label} ({p.start:%d-%m-%Y} s.d. {p.end:%d-%m-%Y})")
    para(
        _("Cakupan: %(scope)s · Dasar: PermenPANRB Nomor 14 Tahun 2017")
        % {"scope": report.scope_label}
    )

    h2(_("I. Nilai per unsur pelayanan"))
    table(
        ["No.", _("Unsur pelayanan"), "NRR", _("NRR x 1/9")],
        [
            [str(i), e.element.name, _num(e.nrr_shown), _num(e.weighted_shown)]
            for i, e in enumerate(report.elements, start=1)
        ],
        (10, 110, 30, 30),
    )
    h2(_("II. Indeks Kepuasan Masyarakat"))
    table(
        ["IKM", _("Mutu pelayanan"), _("Responden / sampel minimum"), _("Populasi")],
        [[_num(r.ikm_shown), _grade_text(r), _sample_text(r), str(r.population)]],
        (30, 50, 70, 30),
    )
    para(_("IKM = (jumlah NRR x 1/9) x 25, bobot 1/9 dihitung eksak; dibulatkan dua desimal."))
    para(" · ".join(f"{g.letter}: {g.low}-{g.high} ({g.label})" for g in GRADES))

    h2(_("III. Tiga unsur dengan nilai terendah"))
    table(
        [_("Unsur"), "NRR"],
        [[e.element.name, _num(e.nrr_shown)] for e in report.weakest] or [["—", "—"]],
        (150, 30),
    )
    h2(_("IV. Profil responden"))
    for profile in report.profile:
        table(
            [profile.title, _("Jumlah"), "%"],
            [[label, str(count), _num(pct)] for label, count, pct in profile.rows],
            (110, 35, 35),
        )
        pdf.ln(2)
    for title, rows in (
        (_("V. Per layanan"), report.by_offering),
        (_("VI. Per gerai"), report.by_booth),
        (_("VII. Per instansi"), report.by_agency),
    ):
        h2(title)
        table(
            [_("Nama"), _("Responden"), _("Sampel min."), "IKM", _("Mutu")],
            _result_rows(rows) or [["—", "", "", "", ""]],
            (80, 25, 25, 20, 30),
        )
    h2(_("VIII. Saran dan masukan"))
    if report.suggestions:
        for s in report.suggestions[:200]:
            where = f"({s.offering}) " if s.offering_id else ""
            para(f"- {s.date:%d-%m-%Y} {where}{s.suggestion}")
    else:
        para(_("Tidak ada saran pada periode ini."))
    h2(_("IX. Rencana tindak lanjut"))
    table(
        [_("Unsur"), _("Program/kegiatan"), _("Waktu"), _("Penanggung jawab")],
        [
            [
                ELEMENT_BY_CODE[f.element].name if f.element else _("Semua unsur"),
                f.action,
                f.schedule,
                f.responsible,
            ]
            for f in report.follow_up
        ]
        or [["—", _("Belum diisi"), "", ""]],
        (45, 75, 30, 30),
    )
    pdf.ln(4)
    made = timezone.localtime().strftime("%d-%m-%Y %H:%M")
    para(_("Dibuat %(at)s oleh MPP Digital.") % {"at": made})
    return bytes(pdf.output())


def _result_rows(rows: list[ResultRow]) -> list[list[str]]:
    def _num(value) -> str:
        return "—" if value is None else formats.number_format(value, use_l10n=True)

    return [
        [
            row.label,
            str(row.result.respondents),
            str(row.result.min_sample) + (" !" if row.result.below_min_sample else ""),
            _num(row.result.ikm_shown),
            _grade_text(row.result),
        ]
        for row in rows
    ]
