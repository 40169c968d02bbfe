"""Reporting periods of the SKM: month, quarter (*triwulan*), semester, year.

Keys are stable strings used in URLs and stored follow-up plans: ``2026``, ``2026-S1``,
``2026-T3``, ``2026-05``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

ROMAN = ("I", "II", "III", "IV")
_KEY = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|S(?P<sem>[12])|T(?P<q>[1-4])))?$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    kind: str  # "month" | "quarter" | "semester" | "year"
    year: int
    index: int = 1  # month 1–12, quarter 1–4, semester 1–2; 1 for a year

    @property
    def key(self) -> str:
        return {
            "year": f"{self.year}",
            "semester": f"{self.year}-S{self.index}",
            "quarter": f"{self.year}-T{self.index}",
            "month": f"{self.year}-{self.index:02d}",
        }[self.kind]

    @property
    def first_month(self) -> int:
        return {
            "year": 1,
            "semester": 6 * (self.index - 1) + 1,
            "quarter": 3 * (self.index - 1) + 1,
        }.get(self.kind, self.index)

    @property
    def months(self) -> int:
        return {"year": 12, "semester": 6, "quarter": 3, "month": 1}[self.kind]

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """The last day, inclusive."""
        month = self.first_month + self.months
        year = self.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        return dt.date(year, month, 1) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        if self.kind == "year":
            return _("Tahun %(year)s") % {"year": self.year}
        if self.kind == "semester":
            return _("Semester %(n)s %(year)s") % {"n": ROMAN[self.index - 1], "year": self.year}
        if self.kind == "quarter":
            return _("Triwulan %(n)s %(year)s") % {"n": ROMAN[self.index - 1], "year": self.year}
        return f"{MONTHS[self.index]} {self.year}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period:
        step = self.months
        month0 = self.year * 12 + self.first_month - 1 - step
        year, month = divmod(month0, 12)
        return period_of(self.kind, dt.date(year, month + 1, 1))


def parse_period(key: str) -> Period:
    """``2026``, ``2026-S1``, ``2026-T3`` or ``2026-05``; anything else raises PeriodError."""
    match = _KEY.match((key or "").strip().upper())
    if not match:
        raise PeriodError(_("Periode tidak dikenal. Contoh: 2026, 2026-S1, 2026-T3, 2026-05."))
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        raise PeriodError(_("Tahun periode di luar rentang 2000–2100."))
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise PeriodError(_("Bulan periode harus 01–12."))
        return Period("month", year, month)
    if match["sem"]:
        return Period("semester", year, int(match["sem"]))
    if match["q"]:
        return Period("quarter", year, int(match["q"]))
    return Period("year", year)


def period_of(kind: str, day: dt.date) -> Period:
    """The period of ``kind`` that contains ``day``."""
    if kind == "year":
        return Period("year", day.year)
    if kind == "semester":
        return Period("semester", day.year, 1 if day.month <= 6 else 2)
    if kind == "quarter":
        return Period("quarter", day.year, (day.month - 1) // 3 + 1)
    if kind == "month":
        return Period("month", day.year, day.month)
    raise PeriodError(kind)


def recent_months(today: dt.date, n: int) -> list[Period]:
    """The last ``n`` months up to and including today's, oldest first."""
    months = [period_of("month", today)]
    while len(months) < n:
        months.append(months[-1].previous())
    return months[::-1]
