"""The region's evaluation report as a PDF (fpdf2, pure Python). Core fonts cover Latin-1 only,
so text is folded to it (en dashes, curly quotes) rather than shipping a font file."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from shared.monitoring.evaluation.selectors import evaluation_answers
from shared.monitoring.models import Indicator, RegionEvaluation

_FOLD = str.maketrans(
    {"–": "-", "—": "-", "−": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "..."}
)


def _t(value) -> str:
    return str(value).translate(_FOLD).encode("latin-1", "replace").decode("latin-1")


def _num(value, digits: int = 2) -> str:
    return "-" if value is None else f"{float(value):.{digits}f}"


def evaluation_pdf(evaluation: RegionEvaluation) -> bytes:
    period = evaluation.period
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 8, _t(_("Laporan Evaluasi Kinerja Pelayanan Publik")), new_x="LMARGIN")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(
        0,
        6,
        _t(f"{period.name} - MPP {evaluation.region.name} ({evaluation.region.code})"),
        new_x="LMARGIN",
    )
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 12)
    status = str(evaluation.get_status_display())
    if evaluation.score is not None:
        pdf.multi_cell(
            0,
            7,
            _t(
                _("Indeks: %(score)s dari 5 (konversi %(conv)s) - kategori %(grade)s %(label)s")
                % {
                    "score": _num(evaluation.score),
                    "conv": _num(float(evaluation.score) * 20),
                    "grade": evaluation.grade,
                    "label": evaluation.grade_label,
                }
            ),
            new_x="LMARGIN",
        )
    else:
        pdf.multi_cell(0, 7, _t(_("Status: %(s)s") % {"s": status}), new_x="LMARGIN")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        0,
        5,
        _t(
            _("Data terukur: %(start)s s.d. %(end)s. Dicetak %(now)s.")
            % {
                "start": f"{period.measure_start:%d-%m-%Y}",
                "end": f"{period.measure_end:%d-%m-%Y}",
                "now": f"{timezone.localtime():%d-%m-%Y %H:%M}",
            }
        ),
        new_x="LMARGIN",
    )
    pdf.ln(3)
    widths = (78, 14, 22, 22, 22, 32)
    headers = (
        _("Indikator"),
        _("Bobot"),
        _("Terukur"),
        _("Mandiri"),
        _("Evaluator"),
        _("Jenis"),
    )
    pdf.set_font("Helvetica", "B", 9)
    for w, h in zip(widths, headers, strict=True):
        pdf.cell(w, 7, _t(h), border=1)
    pdf.ln()
    pdf.set_font("Helvetica", "", 8)
    for answer in evaluation_answers(evaluation):
        ind = answer.period_indicator.indicator
        kind = _("terukur") if ind.kind == Indicator.Kind.MEASURED else _("dijawab")
        cells = (
            ind.name,
            _num(ind.weight, 0),
            _num(answer.measured_value, 1),
            _num(answer.self_score),
            _num(answer.evaluator_score),
            kind,
        )
        pdf.cell(widths[0], 6, _t(cells[0])[:52], border=1)
        for w, c in zip(widths[1:], cells[1:], strict=True):
            pdf.cell(w, 6, _t(c), border=1)
        pdf.ln()
        if answer.evaluator_comment:
            pdf.set_font("Helvetica", "I", 8)
            pdf.multi_cell(
                0, 5, _t(_("Komentar: %(c)s") % {"c": answer.evaluator_comment}), new_x="LMARGIN"
            )
            pdf.set_font("Helvetica", "", 8)
    if evaluation.evaluator_note:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, _t(_("Catatan evaluator")), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)
        pdf.multi_cell(0, 5, _t(evaluation.evaluator_note), new_x="LMARGIN")
    return bytes(pdf.output())
