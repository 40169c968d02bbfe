"""The community satisfaction index (IKM) exactly as PermenPANRB 14/2017 computes it.

- NRR per element (*nilai rata-rata unsur*) = the element's score sum / the number of answers.
- IKM = (Σ NRR × 1/9) × 25, with the exact weight 1/9. The regulation's worked example prints the
  weight rounded to 0.111, which drifts by up to 0.1 point (nine 4s give 99.90, not 100.00);
  published results reproduce with 1/9. Everything is a ``Fraction`` until display.
- Display: two decimals, half up. The grade is read from the displayed value, so that the
  regulation's gapped intervals (… 88.30 | 88.31 …) cover every number: 88.305 shows as 88.31, A.

Any period is computed from score *sums* and respondent counts, never from averages of averages:
``Tally`` adds up exactly, per day, offering, booth or region, and the national roll-up can add
regions' daily sums the same way.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from shared.survey.elements import ELEMENT_CODES

WEIGHT = Fraction(1, len(ELEMENT_CODES))  # 1/9, exact
SCALE = 25  # converts the 1–4 mean into 25–100
SCORE_MIN, SCORE_MAX = 1, 4
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Tally:
    """Respondents and the score sum of each of the nine elements (every response answers all
    nine, so each element has ``respondents`` answers)."""

    respondents: int = 0
    sums: tuple[int, ...] = (0,) * len(ELEMENT_CODES)

    def __post_init__(self) -> None:
        if len(self.sums) != len(ELEMENT_CODES):
            raise ValueError("a tally has one sum per element")
        if self.respondents < 0 or any(
            not SCORE_MIN * self.respondents <= s <= SCORE_MAX * self.respondents for s in self.sums
        ):
            raise ValueError("every sum lies between 1 and 4 times the respondents")

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.respondents + other.respondents,
            tuple(a + b for a, b in zip(self.sums, other.sums, strict=True)),
        )

    @classmethod
    def of(cls, responses: list[tuple[int, ...]]) -> Tally:
        """A tally of raw answers: one tuple of nine scores per response."""
        total = cls()
        for scores in responses:
            if len(scores) != len(ELEMENT_CODES) or any(
                not SCORE_MIN <= s <= SCORE_MAX for s in scores
            ):
                raise ValueError("nine scores from 1 to 4")
            total = total + cls(1, tuple(scores))
        return total

    @classmethod
    def from_row(cls, row: Mapping[str, Any], prefix: str = "sum_u") -> Tally:
        """From a mapping with ``respondents`` and ``sum_u1`` … ``sum_u9`` (None counts as 0)."""
        return cls(
            int(row.get("respondents") or 0),
            tuple(int(row.get(f"{prefix}{i}") or 0) for i in range(1, len(ELEMENT_CODES) + 1)),
        )

    @property
    def nrr(self) -> tuple[Fraction, ...] | None:
        if not self.respondents:
            return None
        return tuple(Fraction(s, self.respondents) for s in self.sums)

    @property
    def ikm(self) -> Fraction | None:
        nrr = self.nrr
        if nrr is None:
            return None
        return sum((n * WEIGHT for n in nrr), Fraction(0)) * SCALE


def to_display(value: Fraction | None, places: Decimal = TWO_PLACES) -> Decimal | None:
    """Round only here, half up (how a person rounds, and how published reports do)."""
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        places, rounding=ROUND_HALF_UP
    )


def nrr_display(value: Fraction | None) -> Decimal | None:
    """NRR is shown with two decimals as well."""
    return to_display(value)


@dataclass(frozen=True)
class Grade:
    letter: str
    label: str | Promise  # mutu pelayanan
    low: Decimal
    high: Decimal


GRADES: tuple[Grade, ...] = (
    Grade("D", pgettext_lazy("mutu pelayanan", "Tidak baik"), Decimal("25.00"), Decimal("64.99")),
    Grade("C", pgettext_lazy("mutu pelayanan", "Kurang baik"), Decimal("65.00"), Decimal("76.60")),
    Grade("B", pgettext_lazy("mutu pelayanan", "Baik"), Decimal("76.61"), Decimal("88.30")),
    Grade("A", pgettext_lazy("mutu pelayanan", "Sangat baik"), Decimal("88.31"), Decimal("100.00")),
)
_LOWS = [g.low for g in GRADES]


def grade_for(ikm: Fraction | Decimal | None) -> Grade | None:
    """The grade of an IKM, read from its two-decimal display value."""
    if ikm is None:
        return None
    shown = to_display(ikm) if isinstance(ikm, Fraction) else ikm.quantize(TWO_PLACES)
    if shown is None or shown < GRADES[0].low or shown > GRADES[-1].high:
        raise ValueError(f"an IKM lies between 25 and 100, not {shown}")
    return GRADES[bisect.bisect_right(_LOWS, shown) - 1]


# --- the minimum sample (Krejcie and Morgan, 1970), as the regulation's annex tabulates it ------
# (population N, sample S). For an N between two rows the next larger row applies (never too few);
# beyond the last row the sample stays 384.
KREJCIE_MORGAN: tuple[tuple[int, int], ...] = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40), (50, 44),
    (55, 48), (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70), (90, 73), (95, 76),
    (100, 80), (110, 86), (120, 92), (130, 97), (140, 103), (150, 108), (160, 113), (170, 118),
    (180, 123), (190, 127), (200, 132), (210, 136), (220, 140), (230, 144), (240, 148),
    (250, 152), (260, 155), (270, 159), (280, 162), (290, 165), (300, 169), (320, 175),
    (340, 181), (360, 186), (380, 191), (400, 196), (420, 201), (440, 205), (460, 210),
    (480, 214), (500, 217), (550, 226), (600, 234), (650, 242), (700, 248), (750, 254),
    (800, 260), (850, 265), (900, 269), (950, 274), (1000, 278), (1100, 285), (1200, 291),
    (1300, 297), (1400, 302), (1500, 306), (1600, 310), (1700, 313), (1800, 317), (1900, 320),
    (2000, 322), (2200, 327), (2400, 331), (2600, 335), (2800, 338), (3000, 341), (3500, 346),
    (4000, 351), (4500, 354), (5000, 357), (6000, 361), (7000, 364), (8000, 367), (9000, 368),
    (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380), (50000, 381),
    (75000, 382), (1000000, 384),
)  # fmt: skip
_POPULATIONS = [n for n, _s in KREJCIE_MORGAN]


def min_sample(population: int) -> int:
    """The smallest number of respondents the regulation accepts for ``population``
    transactions in the period. Below the table's first row, everyone (N itself)."""
    if population <= 0:
        return 0
    if population < KREJCIE_MORGAN[0][0]:
        return population
    i = bisect.bisect_left(_POPULATIONS, population)
    return KREJCIE_MORGAN[min(i, len(KREJCIE_MORGAN) - 1)][1]


@dataclass(frozen=True)
class IndexResult:
    """What a report shows for one scope and period."""

    tally: Tally
    population: int  # finished transactions in the period (one invitation each)

    @property
    def respondents(self) -> int:
        return self.tally.respondents

    @property
    def nrr(self) -> tuple[Fraction, ...] | None:
        return self.tally.nrr

    @property
    def nrr_shown(self) -> list[Decimal | None]:
        nrr = self.tally.nrr
        return [nrr_display(n) for n in nrr] if nrr else [None] * len(ELEMENT_CODES)

    @property
    def ikm(self) -> Fraction | None:
        return self.tally.ikm

    @property
    def ikm_shown(self) -> Decimal | None:
        return to_display(self.tally.ikm)

    @property
    def grade(self) -> Grade | None:
        return grade_for(self.tally.ikm)

    @property
    def min_sample(self) -> int:
        return min_sample(self.population)

    @property
    def below_min_sample(self) -> bool:
        return self.respondents < self.min_sample

    @property
    def response_rate(self) -> Decimal | None:
        if not self.population:
            return None
        return to_display(Fraction(100 * self.respondents, self.population), Decimal("0.1"))
