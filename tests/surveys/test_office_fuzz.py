"""Fuzzing the ballot readers (issue 13, Build 9): whatever the file, `import_ballots`
imports it cleanly or refuses it whole with Vietnamese messages; never a crash, never a
partial write, never an upload left checking."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from surveys.models import Answer, Ballot, BallotUpload, StagedAnswer

from .conftest import HEADER

VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]")
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

codes = st.sampled_from(["P3", "P9", "hdnd", "nguoi_dan", "A1", "A18", "2.1.1", "2.1.2", "A"])
nasty = st.sampled_from(
    ['"', '"x', "\n", "\r\n", ",", ";", "\t", "#DIV/0!", "#REF!", "\u200b", "\x00", "=1+1", "sep=;"]
)
cell = st.one_of(codes, codes, nasty, st.text(max_size=12), st.integers(-5, 10**6))
rows = st.lists(st.lists(cell, min_size=0, max_size=7), min_size=0, max_size=12)


def outcome(path) -> None:
    """Imported, or refused whole in Vietnamese; asserts nothing else can happen."""
    before = (Ballot.objects.count(), Answer.objects.count())
    try:
        call_command("import_ballots", str(path), "--year", "2022")
    except CommandError as error:
        lines = str(error).split("\n")
        assert lines[-1].endswith("lỗi; không có phiếu nào được ghi.")
        for line in lines:
            assert VIETNAMESE.search(line.lower()), line
        assert (Ballot.objects.count(), Answer.objects.count()) == before
    assert not StagedAnswer.objects.exists()
    assert not BallotUpload.objects.filter(
        status__in=[BallotUpload.Status.PENDING, BallotUpload.Status.CHECKING]
    ).exists()


def text_of(table: list[list], delimiter: str) -> str:
    return "\n".join(delimiter.join(str(c) for c in row) for row in table) + "\n"


@pytest.mark.django_db
@FUZZ
@given(
    table=rows,
    header=st.booleans(),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258", "cp1252"]),
)
def test_any_csv(tmp_path_factory, year, table, header, delimiter, encoding):
    path = tmp_path_factory.mktemp("fuzz") / "b.csv"
    text = text_of(([HEADER] if header else []) + table, delimiter)
    path.write_bytes(text.encode(encoding, errors="replace"))
    outcome(path)


@pytest.mark.django_db
@FUZZ
@given(table=rows, header=st.booleans(), far=st.sampled_from([None, "E1048576", "XFD9", "A1"]))
def test_any_xlsx(tmp_path_factory, year, table, header, far):
    path = tmp_path_factory.mktemp("fuzz") / "b.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "ballots"
    for row in ([HEADER] if header else []) + table:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    if far:
        sheet[far] = "A"
    workbook.save(path)
    outcome(path)


@pytest.mark.django_db
@FUZZ
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".xlsx", ".ods", ".xls", ".csv"]))
def test_any_bytes(tmp_path_factory, year, data, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"b{suffix}"
    prefix = {".xlsx": b"PK\x03\x04", ".ods": b"PK\x03\x04", ".xls": b"\xd0\xcf\x11\xe0"}
    path.write_bytes(prefix.get(suffix, b"") + data)
    outcome(path)
