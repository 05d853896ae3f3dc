"""Comparisons with predecessors (DOMAIN §5 and §8), rule by rule, then as properties."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal import lineage
from appraisal.lineage import Reference, UnitRecord

FAST = settings(max_examples=200, deadline=None)


def record(year, code, index, rank=1, kind="so", block="A", areas=None, name=""):
    areas = {key: None if value is None else D(value) for key, value in (areas or {}).items()}
    return UnitRecord(year, code, kind, block, D(index), rank, areas, name)


def history_of(*records):
    return {r.reference: r for r in records}


def compare(unit, named=None, history=(), closest=()):
    return lineage.compare_unit(unit, named, history_of(*history), {r.code: r for r in closest})


# Hải Dương 2022 departments, predecessors of Hải Phòng 2025's Sở Tài chính.
TAI_CHINH_2022 = record(2022, "A6", "88.50", 12, areas={"1": "90", "3": "80"}, name="Sở Tài chính")
KHDT_2022 = record(
    2022, "A11", "91.30", 5, areas={"1": "86", "3": "70"}, name="Sở Kế hoạch và Đầu tư"
)
MERGED = (Reference(2022, "A6"), Reference(2022, "A11"))


# One predecessor


def test_one_predecessor_of_the_same_kind_gives_all_three_changes():
    unit = record(2025, "S3", "92.99", 3, areas={"1": "95", "3": "78.5"})

    result = compare(unit, (Reference(2022, "A6"),), [TAI_CHINH_2022])

    assert result.rank_change == 12 - 3
    assert result.index_change == D("92.99") - D("88.50")
    assert result.area_changes == {"1": D(5), "3": D("-1.5")}
    assert result.predecessors == (TAI_CHINH_2022,)
    assert not result.is_new


def test_falling_in_rank_is_a_negative_rank_change():
    unit = record(2025, "S3", "80", 14)

    result = compare(unit, (Reference(2022, "A6"),), [TAI_CHINH_2022])

    assert result.rank_change == 12 - 14
    assert result.index_change == D("-8.50")


def test_one_predecessor_of_another_kind_has_no_rank_change_but_an_index_change():
    district = record(2022, "B3", "81", 4, kind="huyen", block="B", areas={"1": "80"})
    ward = record(2025, "P7", "90", 2, kind="phuong", block="P", areas={"1": "84"})

    result = compare(ward, (Reference(2022, "B3"),), [district])

    assert result.rank_change is None
    assert result.index_change == D(9)
    assert result.area_changes == {"1": D(4)}


# Several predecessors


def test_several_predecessors_compare_with_the_plain_mean_and_no_rank():
    # Sở Tài chính, hợp nhất từ Sở Tài chính và Sở Kế hoạch và Đầu tư: +1,2 điểm.
    unit = record(2025, "S3", "91.10", 3, areas={"1": "90", "3": "76"})

    result = compare(unit, MERGED, [TAI_CHINH_2022, KHDT_2022])

    assert result.rank_change is None
    assert result.index_change == D("1.2")  # 91,10 − (88,50 + 91,30) / 2
    assert lineage.display_change(result.index_change, signed=True) == "+1.20"
    assert result.area_changes == {"1": D(2), "3": D(1)}
    assert [p.name for p in result.predecessors] == ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"]


def test_the_mean_is_plain_not_weighted_by_anything():
    small = record(2022, "A1", "60", 18)
    large = record(2022, "A2", "100", 1)
    unit = record(2025, "S1", "80", 1)

    result = compare(unit, (small.reference, large.reference), [small, large])

    assert result.index_change == D(0)


def test_an_area_change_averages_only_the_predecessors_that_had_the_area():
    with_area = record(2022, "A1", "80", areas={"8": "70"})
    without_area = record(2022, "A2", "90", areas={"8": None})
    lacking_code = record(2022, "A3", "85", areas={"1": "50"})
    unit = record(2025, "S1", "90", areas={"8": "75", "9": "60"})

    result = compare(
        unit,
        (with_area.reference, without_area.reference, lacking_code.reference),
        [with_area, without_area, lacking_code],
    )

    assert result.area_changes == {"8": D(5), "9": None}
    assert result.index_change == D(5)


def test_a_mean_of_three_keeps_full_precision_and_displays_half_up():
    # 91 − (90 + 91 + 91) / 3 = 0,333…
    predecessors = [record(2022, f"A{n}", value) for n, value in ((1, 90), (2, 91), (3, 91))]
    unit = record(2025, "S1", "91")

    result = compare(unit, tuple(p.reference for p in predecessors), predecessors)

    assert D("0.33333333333333333333") <= result.index_change <= D("0.33333333333333333334")
    assert lineage.display_change(result.index_change) == "0.33"


def test_an_area_not_applicable_this_year_has_no_change():
    unit = record(2025, "S3", "92", areas={"1": None, "3": "80"})

    result = compare(unit, (Reference(2022, "A6"),), [TAI_CHINH_2022])

    assert result.area_changes == {"1": None, "3": D(0)}


# Named predecessors without results


def test_a_named_predecessor_without_results_is_reported_and_blocks_the_rank_change():
    unit = record(2025, "S3", "92", 3)

    result = compare(unit, MERGED, [TAI_CHINH_2022])

    assert result.predecessors == (TAI_CHINH_2022,)
    assert result.missing == (Reference(2022, "A11"),)
    assert result.rank_change is None
    assert result.index_change == D("3.5")


def test_a_unit_whose_named_predecessors_all_lack_results_is_new():
    result = compare(record(2025, "S3", "92"), MERGED, [])

    assert result.is_new
    assert result.missing == MERGED
    assert (result.rank_change, result.index_change) == (None, None)


# No lineage given: the same code in the closest earlier computed year


def test_without_lineage_the_same_code_and_kind_of_the_closest_year_is_compared():
    before = record(2025, "P1", "95.80", 1, kind="phuong", areas={"1": "96"})
    now = record(2026, "P1", "94.80", 3, kind="phuong", areas={"1": "97"})

    result = compare(now, None, closest=[before])

    assert result.rank_change == -2
    assert result.index_change == D(-1)
    assert result.area_changes == {"1": D(1)}
    assert result.predecessors == (before,)


def test_without_lineage_a_unit_of_another_kind_with_the_same_code_is_not_compared():
    district = record(2022, "B1", "85.86", 1, kind="huyen")
    commune = record(2025, "B1", "90", 1, kind="xa")

    result = compare(commune, None, closest=[district])

    assert result.is_new
    assert result.rank_change is None
    assert result.index_change is None


def test_without_lineage_a_code_absent_from_the_closest_year_is_new():
    result = compare(record(2026, "X9", "90", areas={"1": "80"}), None, closest=[TAI_CHINH_2022])

    assert result.is_new
    assert result.area_changes == {"1": None}


def test_a_dash_means_new_even_when_the_same_code_exists():
    before = record(2025, "S3", "90", 2)
    now = record(2026, "S3", "91", 1)

    result = compare(now, (), [before], closest=[before])

    assert result.is_new
    assert (result.rank_change, result.index_change) == (None, None)


def test_compare_year_reads_each_units_lineage_and_defaults_to_the_code():
    before = record(2025, "S1", "90", 2)
    units = [record(2026, "S1", "91", 1), record(2026, "S2", "85", 2)]

    results = lineage.compare_year(
        units, {"S2": ()}, history_of(before), {"S1": before, "S2": record(2025, "S2", "80", 3)}
    )

    assert results["S1"].index_change == D(1)
    assert results["S1"].rank_change == 1
    assert results["S2"].is_new


# Display


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("1.2", "1.20"),
        ("0.005", "0.01"),
        ("-0.005", "-0.01"),
        ("0.00499999", "0.00"),
        ("-0.004", "0.00"),
        ("-0.00000000000000000001", "0.00"),
        ("0", "0.00"),
        ("-12.345", "-12.35"),
    ],
)
def test_display_change_rounds_half_up_and_never_shows_minus_zero(value, shown):
    assert lineage.display_change(D(value)) == shown


def test_display_change_signed_for_pages():
    assert lineage.display_change(D("1.2"), signed=True) == "+1.20"
    assert lineage.display_change(D("-3"), signed=True) == "-3.00"
    assert lineage.display_change(D("-0.001"), signed=True) == "0.00"
    assert lineage.display_change(None) is None


# The predecessors cell


def test_parse_lineage_reads_blank_dash_and_references():
    assert lineage.parse_lineage("") is None
    assert lineage.parse_lineage(None) is None
    assert lineage.parse_lineage(" - ") == ()
    assert lineage.parse_lineage("2022:A6; 2022:A11", year=2025) == MERGED


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2022-A6", "không đúng dạng NĂM:MÃ"),
        ("22:A6", "không đúng dạng NĂM:MÃ"),
        ("2022:A6;-", "không đi cùng"),
        ("2022:A6;2022:A6", "ghi hai lần"),
        ("2025:S1", "trước năm 2025"),
        (";;", "Không đọc được"),
    ],
)
def test_parse_lineage_refuses_malformed_cells_in_vietnamese(text, words):
    with pytest.raises(lineage.LineageError, match=words):
        lineage.parse_lineage(text, year=2025)


@given(
    st.one_of(
        st.none(),
        st.lists(
            st.builds(
                Reference,
                st.integers(1990, 2024),
                st.from_regex(r"[A-Z][0-9]{1,3}", fullmatch=True),
            ),
            unique=True,
            max_size=4,
        ).map(tuple),
    )
)
def test_format_and_parse_lineage_round_trip(named):
    assert lineage.parse_lineage(lineage.format_lineage(named), year=2025) == named


# Properties

indices = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)


@FAST
@given(indices, indices, st.integers(1, 50), st.integers(1, 50))
def test_one_predecessor_changes_are_exact_differences_and_antisymmetric(a, b, rank_a, rank_b):
    old = record(2022, "A1", a, rank_a, areas={"1": a})
    new = record(2025, "S1", b, rank_b, areas={"1": b})

    forward = compare(new, (old.reference,), [old])
    backward = compare(old, (new.reference,), [new])

    assert forward.index_change == b - a
    assert forward.area_changes["1"] == b - a
    assert forward.rank_change == rank_a - rank_b
    assert backward.index_change == -forward.index_change
    assert backward.rank_change == -forward.rank_change


@FAST
@given(indices, st.lists(indices, min_size=1, max_size=6), st.randoms())
def test_several_predecessors_compare_with_their_mean_whatever_their_order(now, earlier, rng):
    predecessors = [
        record(2022, f"A{n}", value, areas={"1": value}) for n, value in enumerate(earlier)
    ]
    unit = record(2025, "S1", now, areas={"1": now})
    named = [p.reference for p in predecessors]
    shuffled = named[:]
    rng.shuffle(shuffled)

    result = compare(unit, tuple(named), predecessors)
    reordered = compare(unit, tuple(shuffled), predecessors)

    expected = now - sum(earlier) / len(earlier)
    assert abs(result.index_change - expected) <= D("1e-20")
    assert result.index_change == reordered.index_change
    assert result.area_changes == reordered.area_changes
    assert -D(100) <= result.index_change <= D(100)
    assert (result.rank_change is None) == (len(earlier) > 1)


@FAST
@given(indices, indices, st.integers(2, 5))
def test_equal_predecessors_count_as_one(now, earlier, copies):
    predecessors = [record(2022, f"A{n}", earlier) for n in range(copies)]
    unit = record(2025, "S1", now)

    several = compare(unit, tuple(p.reference for p in predecessors), predecessors)
    one = compare(unit, (predecessors[0].reference,), predecessors[:1])

    assert several.index_change == one.index_change


@FAST
@given(st.decimals(min_value=-200, max_value=200, allow_nan=False, allow_infinity=False))
def test_display_change_is_within_half_a_hundredth_and_never_minus_zero(value):
    shown = lineage.display_change(value)

    assert shown != "-0.00"
    assert abs(D(shown) - value) <= D("0.005")
    assert len(shown.partition(".")[2]) == 2
