"""Fuzzing the year workbook reader (issue 13, Build 9): a valid workbook changed at random
as a hand in Excel would (cells, headers, sheet names, sheets deleted, far cells) imports
cleanly or is refused whole with Vietnamese messages; never a crash, never a partial write."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tests.exchange.workbook_factory import save_workbook, stored_counts, year_sheets

VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]")
SHEETS = list(year_sheets())
values = st.one_of(
    st.sampled_from(["", "1", "0", "2,5", "-1", "A", "A1", "1.1", "#DIV/0!", "#REF!", "x\u200b"]),
    st.sampled_from(["2022-12-25", "2023-13-45", "evidence", "survey", "deduction", "100:1"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**12), 10**12),
    st.text(max_size=20),
    st.none(),
)
change = st.one_of(
    st.tuples(
        st.just("cell"), st.sampled_from(SHEETS), st.integers(0, 9), st.integers(0, 9), values
    ),
    st.tuples(st.just("rename"), st.sampled_from(SHEETS), st.sampled_from(["Scores", "Điểm", "x"])),
    st.tuples(st.just("drop"), st.sampled_from(SHEETS)),
    st.tuples(st.just("title"), st.sampled_from(SHEETS)),
    st.tuples(st.just("row"), st.sampled_from(SHEETS), st.lists(values, max_size=6)),
)


def changed(sheets: dict, edit: tuple) -> None:
    kind, sheet, *rest = edit
    if sheet not in sheets:
        return
    if kind == "cell":
        row, column, value = rest
        rows = sheets[sheet]
        while len(rows) <= row:
            rows.append([])
        while len(rows[row]) <= column:
            rows[row].append(None)
        rows[row][column] = (
            ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
        )
    elif kind == "rename" and rest[0] not in sheets:
        sheets[rest[0]] = sheets.pop(sheet)
    elif kind == "drop":
        del sheets[sheet]
    elif kind == "title":
        sheets[sheet][:0] = [["TIÊU ĐỀ"], []]
    elif kind == "row":
        sheets[sheet].append(
            [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in rest[0]]
        )


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(change, min_size=1, max_size=4))
def test_any_edited_workbook_imports_or_is_refused_whole(tmp_path_factory, edits):
    sheets = year_sheets()
    for edit in edits:
        changed(sheets, edit)
    if not sheets:
        return
    path = save_workbook(sheets, tmp_path_factory.mktemp("fuzz") / "y.xlsx")
    before = stored_counts()
    try:
        call_command("import_year", str(path), "--replace", stdout=io.StringIO())
    except CommandError as error:
        lines = str(error).split("\n")
        assert lines[-1] == f"{len(lines) - 1} lỗi; không có dữ liệu nào được ghi."
        for line in lines:
            assert VIETNAMESE.search(line.lower()), line
        assert stored_counts() == before
