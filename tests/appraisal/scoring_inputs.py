"""Small engine inputs built by hand, for the scoring tests."""

from decimal import Decimal as D

from appraisal import scoring

RULES = scoring.Rules()
NOT_APPLICABLE = scoring.LeafEntry(not_applicable=True)


def leaf(code, max_points, **kwargs):
    return scoring.Leaf(code, D(max_points), **kwargs)


def criteria_set(*leaves, not_counting=()):
    """Top-level areas in the order their leaves first appear."""
    codes = dict.fromkeys(item.area for item in leaves)
    return scoring.CriteriaSet(
        areas=tuple(scoring.Area(code, code not in not_counting) for code in codes),
        leaves=leaves,
    )


def unit(code="A1", scores=None, tallies=None):
    """`scores` maps leaf codes to an appraised score (str) or to a ready LeafEntry."""
    entries = {
        leaf_code: entry
        if isinstance(entry, scoring.LeafEntry)
        else scoring.LeafEntry(appraised_score=D(entry))
        for leaf_code, entry in (scores or {}).items()
    }
    return scoring.UnitInput(code, entries, tallies or {})


def measured(value):
    return scoring.LeafEntry(appraised_value=D(value))


def area_of(result, code):
    return next(area for area in result.areas if area.code == code)


def indices(*values):
    """One unit per value, each on a single 100-point leaf, so that score = index."""
    criteria = criteria_set(leaf("1.1", 100))
    units = [unit(code, {"1.1": value}) for code, value in values]
    return criteria, units
