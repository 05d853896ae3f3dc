"""The 95 % interval of a unit's survey score and the noise between ranking neighbours."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from surveys.confidence import Z95, ranking_noise, survey_confidence

from .conftest import HEADER, write_csv

VALUE = {"A": Decimal(1), "B": Decimal("0.75"), "C": Decimal("0.5"), "D": Decimal(0)}


def load(tmp_path, rows):
    path = write_csv(tmp_path / "b.csv", [HEADER, *rows])
    call_command("import_ballots", str(path), "--year", "2022", "--replace")


@pytest.mark.django_db
def test_one_question_once_per_ballot_gives_the_standard_error_of_a_mean(tmp_path, year):
    options = "ABBCADBBAACB"
    load(tmp_path, [[f"P{n}", "nguoi_dan", "A1", "2.1.1", o] for n, o in enumerate(options)])
    values = [VALUE[o] for o in options]
    n = len(values)
    mean = sum(values) / n
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    expected = (variance / n).sqrt()  # max points of 2.1.1 is 1

    a1 = survey_confidence(year)["A1"]
    assert a1.score == mean
    # Every survey leaf counts in the maximum, as in the engine: 2.1.1 + 2.1.2 + 2.2.
    assert a1.max_points == Decimal("3.5")
    assert abs(a1.std_error - expected) < Decimal("1e-20")
    assert a1.low == mean - Z95 * a1.std_error
    assert a1.high == mean + Z95 * a1.std_error
    assert a1.ballots == n


@pytest.mark.django_db
def test_unanimous_answers_have_no_noise_and_intervals_stay_within_the_maximum(tmp_path, year):
    load(tmp_path, [[f"P{n}", "hdnd", "A1", "2.1.1", "A"] for n in range(10)])
    a1, a2 = survey_confidence(year)["A1"], survey_confidence(year)["A18"]
    assert (a1.score, a1.std_error, a1.low, a1.high) == (1, 0, 1, 1)
    assert (a2.score, a2.std_error, a2.ballots) == (0, 0, 0)


@pytest.mark.django_db
def test_not_counted_answers_do_not_enter_the_interval(tmp_path, year):
    rows = [[f"P{n}", "nguoi_dan", "A1", "2.1.1", o] for n, o in enumerate("AACCEEEE")]
    load(tmp_path, rows)
    a1 = survey_confidence(year)["A1"]
    assert a1.score == Decimal("0.75")
    # Four counted values 1, 1, 0.5, 0.5 among eight ballots of the group (the E ballots
    # count as sampled ballots contributing nothing): n/(n-1) Σ (z - z̄)², z = ±0.25/4.
    z = [Decimal("0.0625")] * 2 + [Decimal("-0.0625")] * 2 + [Decimal(0)] * 4
    expected = (Decimal(8) / 7 * sum(v * v for v in z)).sqrt()
    assert abs(a1.std_error - expected) < Decimal("1e-20")


@pytest.mark.django_db
def test_ranking_noise_marks_close_neighbours_only(tmp_path, year):
    rows = []
    for n in range(40):
        # A1 is rated far better than A18 by every delegate: a clear gap.
        rows.append([f"P{n}", "hdnd", "A1", "2.1.1", "AB"[n % 2]])
        rows.append([f"P{n}", "hdnd", "A18", "2.1.1", "CD"[n % 2]])
    load(tmp_path, rows)
    (pair,) = ranking_noise(year)["A"]
    assert (pair.upper, pair.lower) == ("A1", "A18")
    assert pair.difference == Decimal("0.625")  # 0,875 − 0,25
    assert not pair.within_noise

    # A ranking handed in by the caller (e.g. the index) with a tiny gap: within noise.
    given = {"A": [("A18", Decimal("80.01"), Decimal(40)), ("A1", Decimal("80.00"), Decimal(40))]}
    (pair,) = ranking_noise(year, ranking=given)["A"]
    assert (pair.upper, pair.lower, pair.difference) == ("A18", "A1", Decimal("0.01"))
    assert pair.margin > Decimal("0.01") and pair.within_noise


@pytest.mark.django_db
def test_shared_delegates_make_the_difference_less_noisy_than_independent_units(tmp_path, year):
    # Each delegate rates both units alike: the units' scores move together, so the
    # noise of their difference is smaller than the two standard errors combined.
    options = "ABCDABCDAB"
    rows = []
    for n, option in enumerate(options):
        rows.append([f"P{n}", "hdnd", "A1", "2.1.1", option])
        rows.append([f"P{n}", "hdnd", "A18", "2.1.1", option])
    load(tmp_path, rows)
    confidence = survey_confidence(year)
    (pair,) = ranking_noise(year)["A"]
    independent = Z95 * (confidence["A1"].std_error ** 2 + confidence["A18"].std_error ** 2).sqrt()
    assert pair.margin == 0 < independent
