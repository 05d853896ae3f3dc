"""Tallies per unit × question × group against an independent recount of a generated file."""

import random
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command

from appraisal.services.compute import survey_tallies
from surveys.models import Answer, Ballot
from surveys.questionnaire import survey_plan_save
from surveys.tallies import (
    ballot_lookalikes,
    normalized_ballot_code,
    repeated_patterns,
    survey_receipts,
    survey_tally_table,
)

from .conftest import HEADER, write_csv

COEFFICIENTS = {"A": Decimal(1), "B": Decimal("0.75"), "C": Decimal("0.5"), "D": Decimal(0)}
MAX_POINTS = {"2.1.1": Decimal(1), "2.1.2": Decimal("1.5")}
ASKED = {"hdnd": ["2.1.1", "2.1.2"], "nguoi_dan": ["2.1.1"]}


def generated_rows(seed: int = 7, ballots: int = 240) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for number in range(ballots):
        group = "hdnd" if number % 3 == 0 else "nguoi_dan"
        units = ["A1", "A18"] if group == "hdnd" else [rng.choice(["A1", "A18"])]
        for unit in units:
            for criterion in ASKED[group]:
                option = rng.choices("ABCDE", weights=[4, 3, 2, 1, 1])[0]
                rows.append([f"G{number:04d}", group, unit, criterion, option])
    return rows


@pytest.mark.django_db
def test_tallies_equal_an_independent_recount(tmp_path, year):
    rows = generated_rows()
    path = write_csv(tmp_path / "b.csv", [HEADER, *rows])
    call_command("import_ballots", str(path), "--year", "2022", "--replace")

    # The recount, by hand: options per (unit, criterion, group), points over every group.
    options: dict[tuple, Counter] = defaultdict(Counter)
    for _ballot, group, unit, criterion, option in rows:
        options[(unit, criterion, group)][option] += 1
        options[(unit, criterion, None)][option] += 1

    def points(counter: Counter, criterion: str) -> Decimal | None:
        counted = sum(n for option, n in counter.items() if option != "E")
        if not counted:
            return None
        total = sum(COEFFICIENTS[o] * n for o, n in counter.items() if o != "E")
        return MAX_POINTS[criterion] * total / counted

    table = survey_tally_table(year=year)
    assert {(t.unit, t.criterion) for t in table} == {
        (u, c) for u in ("A1", "A18") for c in ("2.1.1", "2.1.2")
    }
    for tallies in table:
        expected = options[(tallies.unit, tallies.criterion, None)]
        assert tallies.total.counts == dict(expected)
        assert tallies.total.counted == sum(n for o, n in expected.items() if o != "E")
        assert tallies.total.points == points(expected, tallies.criterion)
        for by_group in tallies.by_group:
            expected = options[(tallies.unit, tallies.criterion, by_group.group)]
            assert by_group.counts == dict(expected)
            assert by_group.points == points(expected, tallies.criterion)
        assert sorted(t.group for t in tallies.by_group) == sorted(
            g for g in ASKED if tallies.criterion in ASKED[g]
        )

    # The engine's input agrees with the same recount.
    engine = survey_tallies(year)
    for tallies in table:
        key = next(
            k
            for k in engine
            if Answer.objects.filter(
                participation_id=k[0],
                criterion_id=k[1],
                participation__unit__code=tallies.unit,
                criterion__code=tallies.criterion,
            ).exists()
        )
        assert engine[key].counted == tallies.total.counted
        assert engine[key].coefficient_sum == tallies.total.coefficient_sum


@pytest.mark.django_db
def test_receipts_against_the_plan(year):
    survey_plan_save(
        year=year, plan={"A": {"hdnd": 2, "nguoi_dan": 4}}, one_unit_groups={"nguoi_dan"}
    )
    blocks, units = survey_receipts(year=year)
    # Stored: P1 (hdnd) rates A1 and A18; P2 and 1001 (nguoi_dan) rate A1, P2 also A18.
    assert [(r.group, r.planned, r.received) for r in blocks] == [
        ("hdnd", 2, 1),
        ("nguoi_dan", 4, 2),
    ]
    assert blocks[0].short and blocks[0].ratio == 50
    assert [(r.unit, r.group, r.planned, r.received) for r in units] == [
        ("A1", "hdnd", 2, 1),
        ("A1", "nguoi_dan", 2, 2),  # 4 citizens shared by 2 units
        ("A18", "hdnd", 2, 1),
        ("A18", "nguoi_dan", 2, 1),
    ]


@pytest.mark.django_db
def test_few_counted_answers_are_flagged(year):
    low = {(t.unit, t.criterion) for t in survey_tally_table(year=year) if t.low}
    assert low == {("A1", "2.1.1"), ("A1", "2.1.2"), ("A18", "2.1.1"), ("A18", "2.1.2")}


def test_lookalike_ballot_codes_normalise_alike():
    assert normalized_ballot_code("P-0012") == normalized_ballot_code("p12")
    assert normalized_ballot_code("P 12") == "P-12"
    assert normalized_ballot_code("P120") != normalized_ballot_code("P12")


@pytest.mark.django_db
def test_lookalike_ballot_ids_are_listed(tmp_path, year):
    rows = [["P-0001", "hdnd", "A18", "2.1.1", "A"], ["p01", "hdnd", "A18", "2.1.2", "B"]]
    call_command(
        "import_ballots", str(write_csv(tmp_path / "b.csv", [HEADER, *rows])), "--year", "2022"
    )
    assert ballot_lookalikes(year=year) == [["P-0001", "P1", "p01"]]


@pytest.mark.django_db
def test_identical_answer_patterns_in_bulk_are_listed(tmp_path, year):
    rows = generated_rows(ballots=120)
    # Twelve copies of one full delegate ballot: far more than chance gives.
    for copy in range(12):
        for unit in ("A1", "A18"):
            rows.append([f"X{copy:02d}", "hdnd", unit, "2.1.1", "D"])
            rows.append([f"X{copy:02d}", "hdnd", unit, "2.1.2", "C"])
    call_command(
        "import_ballots",
        str(write_csv(tmp_path / "b.csv", [HEADER, *rows])),
        "--year",
        "2022",
        "--replace",
    )
    repeats = repeated_patterns(year=year)
    assert len(repeats) == 1
    assert repeats[0].group == "hdnd"
    assert repeats[0].ballots == [f"X{copy:02d}" for copy in range(12)]
    assert repeats[0].answers == 4
    assert Ballot.objects.filter(year=year).count() == 120 + 12
