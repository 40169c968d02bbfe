"""The region's SKM report: a worked example through the database with a period mixing
offerings, per offering / booth / agency, the minimum-sample flag, a grade boundary, the three
weakest elements, profile, suggestions, follow-up plan; as page, CSV and PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import timezone

from shared.survey.periods import parse_period, period_of
from shared.survey.selectors import current_questionnaire
from tenants.survey.models import Invitation, Response
from tenants.survey.selectors import (
    Scope,
    period_result,
    public_results,
    results_by,
    skm_report,
    trends,
)
from tenants.survey.services import follow_up_add
from tests.tenants.queue.factories import queue_offering
from tests.tenants.survey.factories import invitation, respond


@pytest.fixture
def two_offerings(in_a):
    """Offering X (booth X): one respondent, all 4s. Offering Y (booth Y): three respondents,
    all 2s, one suggestion; plus two unanswered invitations of Y."""
    x = queue_offering(prefix="X", name="Layanan X")
    y = queue_offering(prefix="Y", name="Layanan Y")
    respond(x, (4,) * 9, sex="L", age="22", education="sma", occupation="pelajar")
    for i in range(3):
        respond(y, (2,) * 9, suggestion="Tambah kursi tunggu." if i == 0 else "")
    invitation(y)
    invitation(y)
    return x, y


def this_month():
    return period_of("month", timezone.localdate())


def test_worked_example_mixing_offerings(two_offerings):
    x, y = two_offerings
    period = this_month()
    mpp = period_result(period)
    assert mpp.respondents == 4
    assert mpp.population == 6  # six finished transactions, four answered
    assert mpp.nrr == (Fraction(5, 2),) * 9
    assert mpp.ikm_shown == Decimal("62.50")
    assert mpp.grade.letter == "D"
    assert mpp.min_sample == 6  # fewer than 10 transactions: all of them
    assert mpp.below_min_sample

    per_offering = {row.label: row.result for row in results_by(period, "offering")}
    assert per_offering["Layanan X"].ikm_shown == Decimal("100.00")
    assert per_offering["Layanan Y"].ikm_shown == Decimal("50.00")
    assert per_offering["Layanan Y"].population == 5
    per_booth = {row.key: row.result for row in results_by(period, "booth")}
    assert per_booth[str(x.booth_id)].respondents == 1
    assert per_booth[str(y.booth_id)].ikm_shown == Decimal("50.00")
    per_agency = {row.key: row.result for row in results_by(period, "agency")}
    assert per_agency[f"l{y.local_agency_id}"].respondents == 3

    only_y = period_result(period, Scope(offering_id=y.pk))
    assert only_y.ikm_shown == Decimal("50.00")
    assert period_result(period, Scope(booth_id=x.booth_id)).ikm_shown == Decimal("100.00")


def test_the_report_for_the_period(two_offerings, admin_a):
    period = this_month()
    follow_up_add(
        actor=admin_a,
        period=period.key,
        element="u9",
        action="Menambah kursi ruang tunggu",
        schedule="Bulan depan",
        responsible="Sekretariat MPP",
    )
    report = skm_report(period)
    assert [e.nrr_shown for e in report.elements] == [Decimal("2.50")] * 9
    assert [e.weighted_shown for e in report.elements] == [Decimal("0.278")] * 9
    assert [w.element.code for w in report.weakest] == ["u1", "u2", "u3"]  # ties: element order
    sexes = {label: n for label, n, _pct in report.profile[0].rows}
    assert sexes == {"Laki-laki": 1, "Perempuan": 3}
    assert [s.suggestion for s in report.suggestions] == ["Tambah kursi tunggu."]
    assert [f.action for f in report.follow_up] == ["Menambah kursi ruang tunggu"]
    assert report.questionnaire_versions == [current_questionnaire().pk]


def test_other_periods_are_not_counted(in_a):
    offering = queue_offering(prefix="P")
    long_ago = timezone.now() - dt.timedelta(days=400)
    respond(offering, (1,) * 9, at=long_ago)
    respond(offering, (4,) * 9)
    year = period_of("year", timezone.localdate())
    assert period_result(year, Scope(offering_id=offering.pk)).respondents == 1
    last = period_of("year", (long_ago.date()))
    assert period_result(last, Scope(offering_id=offering.pk)).ikm_shown == Decimal("25.00")


def test_a_grade_boundary_through_the_database(in_a):
    """1000 responses whose scores add up to 31792: IKM 88.3111… → 88.31, A (by bulk rows; the
    arithmetic is the same as the services')."""
    offering = queue_offering(prefix="B")
    total = 31792
    rows = []
    per_response = [total // 1000] * 1000  # 31 each → 31000; spread the rest
    for i in range(total - 31 * 1000):
        per_response[i] += 1
    now = timezone.now()
    Invitation.objects.bulk_create(
        Invitation(
            token=f"bulk{i:020d}",
            source_kind="complaint",
            source_id=900_000 + i,
            reference=f"B-{i}",
            offering=offering,
            finished_at=now,
            date=timezone.localdate(),
            expires_at=now + dt.timedelta(days=1),
            answered_at=now,
        )
        for i in range(1000)
    )
    for points in per_response:
        scores = [3] * 9
        extra = points - 27
        for k in range(abs(extra)):
            scores[k % 9] += 1 if extra > 0 else -1
        assert sum(scores) == points
        rows.append(
            Response(
                questionnaire_id=1,
                offering=offering,
                date=timezone.localdate(),
                sex="P",
                age=30,
                education="sma",
                occupation="swasta",
                **{f"u{i + 1}": s for i, s in enumerate(scores)},
            )
        )
    Response.objects.bulk_create(rows)
    result = period_result(this_month(), Scope(offering_id=offering.pk))
    assert result.ikm == Fraction(total, 360)
    assert result.ikm_shown == Decimal("88.31")
    assert result.grade.letter == "A"
    assert not result.below_min_sample  # 1000 of 1000


def test_public_results_equal_the_report_from_daily_sums(two_offerings):
    x, y = two_offerings
    total, per_offering = public_results()
    assert per_offering[x.pk].ikm_shown == Decimal("100.00")
    assert per_offering[y.pk].ikm_shown == Decimal("50.00")
    assert total.tally == period_result(this_month()).tally  # the only responses there are
    assert total.respondents == 4


def test_trends_per_element_and_booth(two_offerings):
    x, y = two_offerings
    data = trends()
    assert len(data["months"]) == 12
    assert data["respondents"][-1] == 4
    assert data["elements"][0].cells[-1] == Decimal("2.50")
    assert data["ikm"].cells[-1] == Decimal("62.50")
    booths = {row.label: row.cells[-1] for row in data["booths"]}
    assert booths == {
        x.booth.display_name: Decimal("100.00"),
        y.booth.display_name: Decimal("50.00"),
    }


def test_period_keys_round_trip():
    assert parse_period(this_month().key) == this_month()
