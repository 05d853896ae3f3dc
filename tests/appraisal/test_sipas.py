"""The satisfaction index (SIPAS, DOMAIN §8): per unit with its 95 % interval, ranked per
block with competition ties, pooled per block and for the province."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal import scoring, sipas
from appraisal.sipas import BallotTally, SipasInput

FAST = settings(max_examples=150, deadline=None)
NGUOI_DAN = "nguoi_dan"


def ballots(unit_code, *answers, group=NGUOI_DAN):
    """One ballot per item; an item is one coefficient or a list of them (one per question)."""
    tallies = []
    for number, item in enumerate(answers, start=1):
        coefficients = [D(str(c)) for c in (item if isinstance(item, list) else [item])]
        tallies.append(
            BallotTally(
                f"{unit_code}-{group}-{number}", group, sum(coefficients), len(coefficients)
            )
        )
    return tuple(tallies)


def unit(code, *answers, group=NGUOI_DAN):
    return SipasInput(code, ballots(code, *answers, group=group))


# The unit's index


def test_the_index_is_100_times_the_coefficient_sum_over_counted_answers():
    # Rất hài lòng 1 · Hài lòng 0,75 · Bình thường 0,5, over 3 ballots of 2 questions.
    result = sipas.sipas_index(ballots("S1", [1, 0.75], [1, 1], [0.5, 0.75]))

    assert result.index == scoring.percent(D(5), D(6))
    assert abs(result.index - D(100) * D(5) / D(6)) < D("1e-19")
    assert result.counted == 6
    assert result.ballots == 3
    assert result.coefficient_sum == D(5)


def test_all_best_answers_give_100_and_all_worst_give_0():
    best = sipas.sipas_index(ballots("S1", 1, 1, 1))
    worst = sipas.sipas_index(ballots("S1", 0, 0, 0))

    assert (best.index, best.low, best.high) == (D(100), D(100), D(100))
    assert (worst.index, worst.low, worst.high) == (D(0), D(0), D(0))


def test_no_counted_answer_gives_no_index():
    assert sipas.sipas_index(()) is None
    assert sipas.sipas_index([BallotTally("b1", NGUOI_DAN, D(0), 0)]) is None


def test_a_ballot_with_only_uncounted_answers_is_not_in_the_sample():
    with_blank = ballots("S1", 1, 0.5) + (BallotTally("blank", NGUOI_DAN, D(0), 0),)

    assert sipas.sipas_index(with_blank) == sipas.sipas_index(ballots("S1", 1, 0.5))


def test_a_coefficient_sum_larger_than_the_answers_is_refused_in_vietnamese():
    with pytest.raises(ValueError, match="tổng hệ số"):
        BallotTally("b1", NGUOI_DAN, D("2.5"), 2)
    with pytest.raises(ValueError, match="tổng hệ số"):
        BallotTally("b1", NGUOI_DAN, D("-0.5"), 1)


def test_one_ballot_in_two_groups_is_refused():
    tallies = [BallotTally("b1", "hdnd", D(1), 1), BallotTally("b1", NGUOI_DAN, D(1), 1)]

    with pytest.raises(ValueError, match="hai nhóm"):
        sipas.sipas_index(tallies)


# The 95 % interval


def test_one_answer_per_ballot_gives_the_textbook_interval_of_a_mean():
    answers = [1, 1, 0.75, 0.5, 1, 0.75, 0, 1]
    result = sipas.sipas_index(ballots("S1", *answers))

    values = [D(str(a)) for a in answers]
    mean = sum(values) / len(values)
    sample_variance = sum((v - mean) ** 2 for v in values) / (len(values) - 1)
    expected_se = D(100) * (sample_variance / len(values)).sqrt()
    assert abs(result.std_error - expected_se) < D("1e-20")
    assert abs(result.low - (result.index - D("1.96") * expected_se)) < D("1e-18")
    assert abs(result.high - (result.index + D("1.96") * expected_se)) < D("1e-18")


def test_answers_of_one_ballot_are_not_counted_as_independent():
    # Four equal answers on each ballot carry the information of one answer per ballot.
    single = sipas.sipas_index(ballots("S1", 1, 0.5, 0.75, 1, 0))
    clustered = sipas.sipas_index(ballots("S1", [1] * 4, [0.5] * 4, [0.75] * 4, [1] * 4, [0] * 4))

    assert clustered.index == single.index
    assert clustered.counted == 4 * single.counted
    assert abs(clustered.std_error - single.std_error) < D("1e-20")


def test_the_variance_comes_from_within_each_respondent_group():
    # Each group answers uniformly: only the groups differ, and the plan fixes them.
    tallies = ballots("S1", 1, 1, group="doanh_nghiep") + ballots("S1", 0.5, 0.5)

    result = sipas.sipas_index(tallies)

    assert result.index == D(75)
    assert result.std_error == D(0)
    assert (result.low, result.high) == (D(75), D(75))


def test_the_interval_is_clipped_to_0_and_100():
    # s² = 0,25 over 4 ballots: standard error 25 points, margin 49.
    mostly_good = sipas.sipas_index(ballots("S1", 1, 1, 1, 0))
    mostly_bad = sipas.sipas_index(ballots("S2", 0, 0, 0, 1))

    assert mostly_good.std_error == D(25)
    assert (mostly_good.low, mostly_good.index, mostly_good.high) == (D(26), D(75), D(100))
    assert (mostly_bad.low, mostly_bad.index, mostly_bad.high) == (D(0), D(25), D(74))


def test_a_single_ballot_has_no_spread_to_measure():
    result = sipas.sipas_index(ballots("S1", [1, 0.5]))

    assert result.std_error == D(0)
    assert result.low == result.high == D(75)


def test_the_document_field_matches_the_results_document():
    block = sipas.sipas_block("A", [unit("S1", 1, 1, 0.75, 0.5), unit("S2")])
    first, without = block.units

    assert first.document() == {
        "index": "81.25",
        "rank": 1,
        "counted": 4,
        "ci95": [sipas.display(first.sipas.low, 2), sipas.display(first.sipas.high, 2)],
    }
    assert D(first.document()["ci95"][0]) < D("81.25") < D(first.document()["ci95"][1])
    assert without.document() is None


# Ranks per block


def test_ranks_follow_the_competition_rule_with_ties():
    block = sipas.sipas_block(
        "P",
        [
            unit("P10", 1, 0.5),  # 75
            unit("P2", 1, 1),  # 100
            unit("P3", 0.75),  # 75
            unit("P4", 0.5, 0.5, 0.5, 1),  # 62,5
            unit("P5"),  # no answer
        ],
    )

    assert [(u.code, u.rank) for u in block.units] == [
        ("P2", 1),
        ("P3", 2),
        ("P10", 2),
        ("P4", 4),
        ("P5", None),
    ]
    assert block.units[-1].sipas is None


def test_ranks_use_full_precision_not_the_displayed_index():
    # 2/3 and 0,6667 both display 66.67 but are not equal.
    third = unit("S1", 1, 1, 0)
    close = SipasInput("S2", (BallotTally("x", NGUOI_DAN, D("6667"), 10000),))

    block = sipas.sipas_block("A", [third, close])

    assert [(u.code, u.rank) for u in block.units] == [("S2", 1), ("S1", 2)]
    assert {sipas.display(u.sipas.index, 2) for u in block.units} == {"66.67"}


# Pooled indices


def test_the_pooled_block_index_is_the_index_of_the_pooled_tallies_not_the_mean():
    many = unit("S1", *([1] * 9), 0)  # 90 over 10 answers
    few = unit("S2", 0.5)  # 50 over 1 answer

    block = sipas.sipas_block("A", [many, few])

    pooled_tallies = sipas.sipas_index(many.ballots + few.ballots)
    assert block.pooled == pooled_tallies
    assert block.pooled.index == scoring.percent(D("9.5"), D(11))
    assert block.pooled.index != (D(90) + D(50)) / 2
    assert block.pooled.counted == 11


def test_the_province_index_is_pooled_over_every_block():
    blocks = {
        "A": [unit("S1", 1, 0.75), unit("S2", 0.5)],
        "P": [unit("P1", 1, 1, 1), unit("P2")],
        "X": [unit("X1", 0, 0.75, 1, 1)],
    }

    year = sipas.sipas_year(blocks)

    every_tally = [t for units in blocks.values() for u in units for t in u.ballots]
    assert year.pooled == sipas.sipas_index(every_tally)
    assert year.pooled.counted == 10
    assert year.pooled.index == D("80")
    assert [b.code for b in year.blocks] == ["A", "P", "X"]
    assert year.blocks[1].pooled.index == D(100)


def test_a_ballot_rating_two_units_is_one_ballot_in_the_pooled_index():
    shared = [BallotTally("hdnd-1", "hdnd", D(1), 1), BallotTally("hdnd-1", "hdnd", D(0), 1)]
    block = sipas.sipas_block("A", [SipasInput("S1", (shared[0],)), SipasInput("S2", (shared[1],))])

    assert block.pooled.ballots == 1
    assert block.pooled.counted == 2
    assert block.pooled.index == D(50)


def test_a_block_without_any_sipas_answer_has_no_index():
    block = sipas.sipas_block("X", [unit("X1"), unit("X2")])

    assert block.pooled is None
    assert [u.rank for u in block.units] == [None, None]
    assert sipas.sipas_year({"X": [unit("X1")]}).pooled is None


# Properties

coefficients = st.sampled_from([D(0), D("0.25"), D("0.5"), D("0.75"), D(1)])


@st.composite
def sipas_units(draw, code):
    """0–12 ballots of 1–4 counted answers, in two respondent groups."""
    tallies = []
    for number in range(draw(st.integers(0, 12))):
        answers = draw(st.lists(coefficients, min_size=1, max_size=4))
        group = draw(st.sampled_from(["nguoi_dan", "doanh_nghiep"]))
        tallies.append(BallotTally(f"{code}-{number}", group, sum(answers), len(answers)))
    return SipasInput(code, tuple(tallies))


@st.composite
def sipas_blocks(draw):
    numbers = draw(st.lists(st.integers(1, 60), min_size=1, max_size=8, unique=True))
    return [draw(sipas_units(f"P{n}")) for n in numbers]


@FAST
@given(sipas_blocks())
def test_pooled_block_index_equals_the_index_of_the_pooled_tallies(units):
    block = sipas.sipas_block("P", units)

    total = sum((t.coefficient_sum for u in units for t in u.ballots), D(0))
    counted = sum(t.counted for u in units for t in u.ballots)
    if counted == 0:
        assert block.pooled is None
        return
    assert block.pooled.index == scoring.percent(total, D(counted))
    # … which is the mean of the unit indices weighted by their counted answers.
    weighted = sum(u.sipas.index * u.sipas.counted for u in block.units if u.sipas) / counted
    assert abs(block.pooled.index - weighted) < D("1e-18")
    indices = [u.sipas.index for u in block.units if u.sipas]
    assert min(indices) <= block.pooled.index <= max(indices)


@FAST
@given(sipas_blocks())
def test_ranks_follow_the_competition_rule(units):
    block = sipas.sipas_block("P", units)
    ranked = [u for u in block.units if u.sipas is not None]

    for a in ranked:
        assert a.rank == 1 + sum(b.sipas.index > a.sipas.index for b in ranked)
    assert [u.rank for u in ranked] == sorted(u.rank for u in ranked)
    assert all(u.rank is None for u in block.units[len(ranked) :])
    assert sorted(u.code for u in block.units) == sorted(u.code for u in units)


@FAST
@given(sipas_blocks(), st.randoms())
def test_results_do_not_depend_on_the_order_of_units_or_ballots(units, rng):
    shuffled = [SipasInput(u.code, tuple(rng.sample(u.ballots, len(u.ballots)))) for u in units]
    rng.shuffle(shuffled)

    assert sipas.sipas_block("P", shuffled) == sipas.sipas_block("P", units)


@FAST
@given(sipas_units("S1"))
def test_the_interval_holds_the_index_within_0_and_100(unit_input):
    result = sipas.sipas_index(unit_input.ballots)
    if result is None:
        assert all(t.counted == 0 for t in unit_input.ballots)
        return

    assert D(0) <= result.low <= result.index <= result.high <= D(100)
    assert result.std_error >= 0
    assert result.ballots == len(unit_input.ballots)
