"""NRR, IKM and grade against worked examples (PermenPANRB 14/2017), every grade boundary, the
exact weight 1/9, a period mixing offerings, the Krejcie–Morgan minimum sample and periods."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from shared.survey.index import (
    KREJCIE_MORGAN,
    IndexResult,
    Tally,
    grade_for,
    min_sample,
    to_display,
)
from shared.survey.periods import PeriodError, parse_period, period_of, recent_months


def tally_with_total(respondents: int, total: int) -> Tally:
    """A tally of ``respondents`` whose nine element sums add up to ``total``."""
    base, extra = divmod(total, 9)
    sums = tuple(base + (1 if i < extra else 0) for i in range(9))
    return Tally(respondents, sums)


# --- worked examples ------------------------------------------------------------------------------


def test_worked_example_four_respondents():
    """Four respondents, by hand:
    element sums   u1..u9 = 13, 12, 10, 16, 12, 14, 15, 9, 11
    NRR = sum / 4  = 3.25, 3.00, 2.50, 4.00, 3.00, 3.50, 3.75, 2.25, 2.75
    Σ NRR = 28.00; IKM = 28 × 1/9 × 25 = 77.777… → 77.78, grade B (baik)."""
    responses = [
        (4, 3, 2, 4, 3, 4, 4, 2, 3),
        (3, 3, 3, 4, 3, 3, 4, 2, 3),
        (3, 3, 2, 4, 3, 4, 3, 3, 2),
        (3, 3, 3, 4, 3, 3, 4, 2, 3),
    ]
    tally = Tally.of(responses)
    assert tally.sums == (13, 12, 10, 16, 12, 14, 15, 9, 11)
    assert tally.nrr == tuple(Fraction(s, 4) for s in (13, 12, 10, 16, 12, 14, 15, 9, 11))
    assert [to_display(n) for n in tally.nrr] == [
        Decimal(x) for x in ("3.25", "3.00", "2.50", "4.00", "3.00", "3.50", "3.75", "2.25", "2.75")
    ]
    assert tally.ikm == Fraction(700, 9)
    assert to_display(tally.ikm) == Decimal("77.78")
    grade = grade_for(tally.ikm)
    assert (grade.letter, str(grade.label)) == ("B", "Baik")


def test_exact_weight_not_0_111():
    """All nine elements scored 4: exactly 100.00 with 1/9; the printed 0.111 would give 99.90."""
    tally = Tally.of([(4,) * 9] * 7)
    assert tally.ikm == 100
    rounded_weight = sum(Decimal(str(n)) * Decimal("0.111") for n in (4,) * 9) * 25
    assert rounded_weight == Decimal("99.900")
    assert to_display(tally.ikm) == Decimal("100.00")
    assert grade_for(tally.ikm).letter == "A"
    assert Tally.of([(1,) * 9]).ikm == 25
    assert grade_for(Tally.of([(1,) * 9]).ikm).letter == "D"


@pytest.mark.parametrize(
    ("total", "shown", "letter"),
    [
        # 1000 respondents: IKM = total × 25 / 9000 = total / 360
        (23396, "64.99", "D"),  # 64.9888…
        (23400, "65.00", "C"),
        (27576, "76.60", "C"),
        (27580, "76.61", "B"),  # 76.6111…
        (31788, "88.30", "B"),
        (31792, "88.31", "A"),  # 88.3111…
    ],
)
def test_every_grade_boundary(total, shown, letter):
    tally = tally_with_total(1000, total)
    assert tally.ikm == Fraction(total, 360)
    assert to_display(tally.ikm) == Decimal(shown)
    assert grade_for(tally.ikm).letter == letter
    assert grade_for(Decimal(shown)).letter == letter


def test_half_way_between_two_grades_rounds_half_up():
    """88.305 lies in the regulation's gap between 88.30 (B) and 88.31 (A): shown 88.31, A."""
    tally = tally_with_total(5000, 158949)
    assert tally.ikm == Fraction("88.305")
    assert to_display(tally.ikm) == Decimal("88.31")
    assert grade_for(tally.ikm).letter == "A"
    assert grade_for(Fraction("88.3049")).letter == "B"


def test_a_period_mixing_offerings_pools_responses_not_averages():
    """Offering X: one respondent, all 4s (IKM 100). Offering Y: three respondents, all 2s
    (IKM 50). The period's NRR per element is (4 + 2 + 2 + 2) / 4 = 2.5, so the MPP's IKM is
    62.50 (D), not the average of the two results (75.00, C)."""
    x = Tally.of([(4,) * 9])
    y = Tally.of([(2,) * 9] * 3)
    mpp = x + y
    assert (x.ikm, y.ikm) == (100, 50)
    assert mpp.nrr == (Fraction(5, 2),) * 9
    assert to_display(mpp.ikm) == Decimal("62.50")
    assert grade_for(mpp.ikm).letter == "D"
    assert grade_for((x.ikm + y.ikm) / 2).letter == "C"  # what averaging would wrongly say


def test_adding_days_is_exact():
    """Daily sums added up give the same index as all responses at once (the national roll-up
    relies on it)."""
    day1 = [(4, 3, 3, 4, 3, 3, 4, 2, 3), (2, 2, 3, 4, 3, 3, 3, 2, 2)]
    day2 = [(3, 3, 3, 3, 3, 3, 3, 3, 3)]
    assert Tally.of(day1) + Tally.of(day2) == Tally.of(day1 + day2)


def test_no_respondents_has_no_index():
    assert Tally().ikm is None
    assert Tally().nrr is None
    assert grade_for(None) is None
    assert IndexResult(Tally(), 0).ikm_shown is None


@pytest.mark.parametrize(
    "bad",
    [[(5, 4, 4, 4, 4, 4, 4, 4, 4)], [(0,) * 9], [(4,) * 8]],
)
def test_scores_outside_one_to_four_are_refused(bad):
    with pytest.raises(ValueError):
        Tally.of(bad)


def test_inconsistent_sums_are_refused():
    with pytest.raises(ValueError):
        Tally(2, (9,) * 9)  # more than 4 × 2
    with pytest.raises(ValueError):
        grade_for(Fraction(24))


# --- the minimum sample ---------------------------------------------------------------------------


def test_krejcie_morgan_table_matches_its_formula():
    """The tabulated S is the formula X²NP(1−P) / (d²(N−1) + X²P(1−P)), X² = 3.841, P = 0.5,
    d = 0.05, rounded: every row within one respondent of it (a typo would show)."""
    for population, sample in KREJCIE_MORGAN:
        formula = 3.841 * population * 0.25 / (0.0025 * (population - 1) + 3.841 * 0.25)
        assert abs(formula - sample) <= 1, (population, sample, formula)
    samples = [s for _n, s in KREJCIE_MORGAN]
    assert samples == sorted(samples)


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (0, 0),
        (7, 7),  # fewer than the first row: everyone
        (10, 10),
        (100, 80),
        (101, 86),  # between rows: the larger row
        (1000, 278),
        (1234, 297),
        (10000, 370),
        (2_000_000, 384),
    ],
)
def test_min_sample(population, sample):
    assert min_sample(population) == sample


def test_below_min_sample_flag():
    low = IndexResult(Tally.of([(3,) * 9] * 79), population=100)
    enough = IndexResult(Tally.of([(3,) * 9] * 80), population=100)
    assert low.below_min_sample
    assert not enough.below_min_sample
    assert low.min_sample == enough.min_sample == 80
    assert enough.response_rate == Decimal("80.0")


# --- periods --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "start", "end", "label"),
    [
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "Tahun 2026"),
        ("2026-S1", dt.date(2026, 1, 1), dt.date(2026, 6, 30), "Semester I 2026"),
        ("2026-s2", dt.date(2026, 7, 1), dt.date(2026, 12, 31), "Semester II 2026"),
        ("2026-T1", dt.date(2026, 1, 1), dt.date(2026, 3, 31), "Triwulan I 2026"),
        ("2026-T4", dt.date(2026, 10, 1), dt.date(2026, 12, 31), "Triwulan IV 2026"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "Februari 2024"),
        ("2026-12", dt.date(2026, 12, 1), dt.date(2026, 12, 31), "Desember 2026"),
    ],
)
def test_periods(key, start, end, label):
    period = parse_period(key)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert parse_period(period.key) == period


@pytest.mark.parametrize("bad", ["", "26", "2026-13", "2026-S3", "2026-T5", "1999", "x"])
def test_bad_period_keys_are_refused(bad):
    with pytest.raises(PeriodError):
        parse_period(bad)


def test_previous_periods_and_recent_months():
    assert period_of("quarter", dt.date(2026, 2, 3)).previous().key == "2025-T4"
    assert period_of("semester", dt.date(2026, 8, 1)).previous().key == "2026-S1"
    assert period_of("month", dt.date(2026, 1, 9)).previous().key == "2025-12"
    months = recent_months(dt.date(2026, 3, 15), 12)
    assert [m.key for m in months][:2] == ["2025-04", "2025-05"]
    assert months[-1].key == "2026-03"
