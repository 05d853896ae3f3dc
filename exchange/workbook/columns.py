"""The year workbook's sheets and their columns (INTERFACES.md §2), in the order export_year
writes them: the one list the reader, the writer, the benchmarks and the tests use."""

from __future__ import annotations

from surveys.ballots import BALLOT_COLUMNS

# sheet → (required columns, optional columns).
SHEETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "year": (("key", "value"), ()),
    "rules": (("block", "key", "value"), ()),
    "blocks": (("code", "name"), ("kind",)),
    "units": (("block", "code", "name"), ("head_title", "head_name", "kind", "predecessors")),
    "criteria": (
        ("block", "code", "name"),
        ("max_points", "method", "counts_for_classification", "kind", "rubric"),
    ),
    "scores": (
        ("unit", "criterion"),
        (
            "self_score",
            "appraised_score",
            "not_applicable",
            "self_value",
            "appraised_value",
            "self_note",
            "appraisal_note",
        ),
    ),
    "groups": (("code", "name"), ()),
    "scales": (("scale", "option", "label", "coefficient"), ("counted",)),
    "questions": (("block", "criterion", "scale", "groups"), ("text", "sipas")),
    "ballots": (BALLOT_COLUMNS, ()),
}
REQUIRED_SHEETS = ("year", "blocks", "units", "criteria")

# sheet → every column, required first: the header row export_year writes.
COLUMNS: dict[str, tuple[str, ...]] = {
    sheet: required + optional for sheet, (required, optional) in SHEETS.items()
}
