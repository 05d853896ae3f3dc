"""The plain structure a validated year workbook becomes (`write.py` stores it): one
dataclass per kind of row, and the year holding them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from criteria.models import Criterion, Year, code_sort_key
from surveys.ballots import AnswerRow

from .cells import RowCells


@dataclass
class UnitData:
    block: str
    code: str
    name: str
    head_title: str = ""
    head_name: str = ""
    kind: str = ""  # blank: the block's
    predecessors: str = ""  # as appraisal.lineage.format_lineage writes it


@dataclass
class CriterionData:
    block: str
    code: str
    name: str
    max_points: Decimal | None  # as given; `total` is the effective maximum
    method: str = ""
    counts_for_classification: bool | None = None
    kind: str = Criterion.Kind.NORMAL
    rubric: list[list[str]] = field(default_factory=list)
    row: int = 0
    parent: str | None = None
    is_leaf: bool = True
    total: Decimal | None = None

    @property
    def sort_key(self) -> str:
        return code_sort_key(self.code)

    @property
    def depth(self) -> int:
        return self.code.count(".")


@dataclass
class ScoreData:
    unit: str
    block: str
    criterion: str
    self_score: Decimal | None = None
    appraised_score: Decimal | None = None
    not_applicable: bool = False
    self_value: Decimal | None = None
    appraised_value: Decimal | None = None
    self_note: str = ""
    appraisal_note: str = ""


@dataclass
class OptionData:
    code: str
    label: str
    coefficient: Decimal
    counted: bool = True


@dataclass
class QuestionData:
    block: str
    criterion: str
    scale: str
    groups: tuple[str, ...]
    text: str = ""
    sipas: bool = False


@dataclass
class YearData:
    year: int = 0
    name: str = ""
    self_assessment_opens: datetime.datetime | None = None
    self_assessment_closes: datetime.datetime | None = None
    appraisal_opens: datetime.datetime | None = None
    appraisal_closes: datetime.datetime | None = None
    explanation_opens: datetime.datetime | None = None
    explanation_closes: datetime.datetime | None = None
    published_on: datetime.date | None = None
    province: str = ""
    year_row: int = 1
    key_rows: dict[str, int] = field(default_factory=dict)  # year sheet key → its row
    blocks: dict[str, str] = field(default_factory=dict)  # code → name
    block_kinds: dict[str, str] = field(default_factory=dict)  # code → kind, when given
    rules: dict[str, dict[str, str]] = field(default_factory=dict)  # block → key → text
    rule_rows: dict[tuple[str, str], int] = field(default_factory=dict)  # (block, key) → row
    units: dict[str, UnitData] = field(default_factory=dict)
    # Units whose row names an unknown block: rows about them are not checked further.
    faulty_units: set[str] = field(default_factory=set)
    criteria: dict[tuple[str, str], CriterionData] = field(default_factory=dict)
    scores: list[ScoreData] = field(default_factory=list)
    groups: dict[str, str] = field(default_factory=dict)
    scales: dict[str, list[OptionData]] = field(default_factory=dict)
    questions: list[QuestionData] = field(default_factory=list)
    answers: list[AnswerRow] = field(default_factory=list)
    # What the reader matched or found elsewhere than expected, for the user to read.
    notes: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return Year.Status.PUBLISHED if self.published_on else Year.Status.DRAFT


def block_of(cells: RowCells, data: YearData) -> str:
    """The row's `block`, or '' (with an error) when the blocks sheet does not have it."""
    block = cells.text("block", required=True)
    if block and block not in data.blocks:
        cells.error("block", f"khối '{block}' không có trong trang blocks")
        return ""
    return block
