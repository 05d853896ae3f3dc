"""Bands by position (DOMAIN §8): a decimal threshold is a band of its own, labelled as
configured, and the results document carries it as configured (INTERFACES §4)."""

import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal import scoring
from appraisal.results import band_label, band_number, band_short
from criteria.models import BlockRules
from criteria.rules import parse_bands
from units.models import Block

from .scoring_inputs import RULES, indices

DECIMAL_BANDS = parse_bands("90;72,5;72")


@pytest.mark.parametrize(
    ("index", "position", "lower"),
    [
        ("100", 0, D(90)),
        ("90", 0, D(90)),
        ("89.999", 1, D("72.5")),
        ("72.9", 1, D("72.5")),
        ("72.5", 1, D("72.5")),
        ("72.49999999", 2, D(72)),
        ("72.1", 2, D(72)),
        ("72", 2, D(72)),
        ("71.999", 3, D(0)),
        ("0", 3, D(0)),
    ],
)
def test_a_decimal_threshold_is_a_band_of_its_own(index, position, lower):
    assert scoring.band_of(D(index), DECIMAL_BANDS) == position
    assert scoring.band_lower(position, DECIMAL_BANDS) == lower


def test_block_results_tell_72_9_from_72_1_under_90_72_5_72():
    criteria, units = indices(("A1", "72.9"), ("A2", "72.1"), ("A3", "72.5"), ("A4", "71"))
    rules = scoring.Rules(bands=DECIMAL_BANDS)

    results = {r.code: r for r in scoring.score_block(criteria, rules, units)}

    assert {code: r.band_position for code, r in results.items()} == {
        "A1": 1,
        "A3": 1,
        "A2": 2,
        "A4": 3,
    }
    assert results["A1"].band == D("72.5")
    assert results["A2"].band == D(72)


def test_labels_keep_the_configured_threshold():
    assert band_label(0, DECIMAL_BANDS) == "từ 90% trở lên"
    assert band_label(1, DECIMAL_BANDS) == "từ 72,5% đến dưới 90%"
    assert band_label(2, DECIMAL_BANDS) == "từ 72% đến dưới 72,5%"
    assert band_label(3, DECIMAL_BANDS) == "dưới 72%"
    assert band_short(1, DECIMAL_BANDS) == "72,5% – < 90%"
    assert band_short(2, DECIMAL_BANDS) == "72% – < 72,5%"
    assert band_short(3, DECIMAL_BANDS) == "< 72%"


def test_labels_of_the_default_bands_are_as_before():
    assert [band_label(p, RULES.bands) for p in range(4)] == [
        "từ 90% trở lên",
        "từ 80% đến dưới 90%",
        "từ 70% đến dưới 80%",
        "dưới 70%",
    ]
    assert [band_short(p, RULES.bands) for p in range(4)] == [
        "≥ 90%",
        "80% – < 90%",
        "70% – < 80%",
        "< 70%",
    ]


def test_the_document_band_is_a_json_number_as_configured():
    assert json.dumps([band_number(D(90)), band_number(D("72.5")), band_number(D(0))]) == (
        "[90, 72.5, 0]"
    )
    assert json.dumps(band_number(parse_bands("93,25")[0])) == "93.25"


thresholds = st.lists(
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=5,
    unique=True,
).map(lambda values: tuple(sorted(values, reverse=True)))


@settings(max_examples=200, deadline=None)
@given(
    bands=thresholds,
    index=st.decimals(min_value=0, max_value=100, places=4, allow_nan=False),
)
def test_the_band_is_the_first_threshold_reached_and_no_higher_one(bands, index):
    position = scoring.band_of(index, bands)
    lower = scoring.band_lower(position, bands)

    assert index >= lower
    assert all(index < bound for bound in bands[:position])
    assert position == len(bands) or lower == bands[position]


@settings(max_examples=100, deadline=None)
@given(bands=thresholds)
def test_indices_between_two_thresholds_never_share_a_band_with_either_side(bands):
    for position, lower in enumerate(bands):
        assert scoring.band_of(lower, bands) == position
        assert scoring.band_of(lower - D("0.0001"), bands) == position + 1


def results_with_bands(small_year, tmp_path, bands: str) -> dict:
    block = Block.objects.get(code="A")
    BlockRules.objects.update_or_create(year=small_year, block=block, defaults={"bands": bands})
    call_command("compute_results", "--year", "2022", stdout=io.StringIO())
    out = tmp_path / "results.json"
    call_command("export_results", "--year", "2022", "--out", str(out), stdout=io.StringIO())
    document = json.loads(out.read_text(encoding="utf-8"))
    return {u["code"]: u["band"] for u in document["blocks"][0]["units"]}


def test_export_results_writes_a_decimal_band_as_configured(small_year, tmp_path):
    # A1's index is 56,67 %, A18's 47,73 % (see test_export_results).
    assert results_with_bands(small_year, tmp_path, "90;56,5;56;47") == {"A1": 56.5, "A18": 47}


def test_export_results_tells_the_decimal_threshold_from_its_integer_part(small_year, tmp_path):
    assert results_with_bands(small_year, tmp_path, "90;57;56,7;56,6;48") == {
        "A1": 56.6,
        "A18": 0,
    }
