"""The printed and shown band keeps its configured threshold (issue 11, Why 8): with bands
90;72,5;72 a unit at 72,9 % and one at 72,1 % are in different bands, worded as configured."""

from decimal import Decimal as D

import pytest

from appraisal import scoring
from reports import formatting as fmt

RULES = scoring.Rules(bands=(D(90), D("72.5"), D(72)))


@pytest.mark.parametrize(
    ("index", "label", "short"),
    [
        (D("95"), "từ 90% trở lên", "≥ 90%"),
        (D("72.9"), "từ 72,5% đến dưới 90%", "72,5% – < 90%"),
        (D("72.5"), "từ 72,5% đến dưới 90%", "72,5% – < 90%"),
        (D("72.1"), "từ 72% đến dưới 72,5%", "72% – < 72,5%"),
        (D("71.99"), "dưới 72%", "< 72%"),
    ],
)
def test_the_stored_band_is_worded_with_its_configured_thresholds(index, label, short):
    stored = scoring.band_lower(scoring.band_of(index, RULES.bands), RULES.bands)
    stored = stored.quantize(D("0.001"))  # as the database keeps it (3 decimals)

    assert fmt.band_label(stored, RULES) == label
    assert fmt.band_short(stored, RULES) == short


def test_integer_bands_read_as_before():
    rules = scoring.Rules()
    assert fmt.band_label(D("80.000"), rules) == "từ 80% đến dưới 90%"
    assert fmt.band_short(D(0), rules) == "< 70%"
