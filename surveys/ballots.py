"""Ballot rows (the `ballots` sheet of INTERFACES.md §2): read, validate, write.

The year workbook validates its `ballots` sheet with `ballot_rows_validate` and
`BallotChecker` judges every row of a ballot file upload (surveys/uploads.py) by the same
rules, so a ballot is judged the same way wherever it comes from. Validation works on codes
only (the workbook's codes are not in the database yet); `ballot_rows_write` turns the codes
into ids with a few dictionaries and writes with `bulk_create`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from criteria.models import Criterion, Participation, Year
from kernel.text import text_clean

from .models import Answer, Ballot, Question, RespondentGroup, ScaleOption

BALLOT_COLUMNS = ("ballot", "group", "unit", "criterion", "option")
# The names a ballots sheet and its columns are known by, besides their own.
BALLOT_SHEET_ALIASES = ("phiếu", "phiếu điều tra", "phieu_dieu_tra", "answers", "câu trả lời")
BALLOT_COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "ballot": ("phiếu", "số phiếu", "mã phiếu", "ballot id", "ballot_code"),
    "group": ("nhóm", "nhóm đối tượng", "đối tượng", "respondent group"),
    "unit": ("đơn vị", "mã đơn vị", "unit code"),
    "criterion": ("tiêu chí", "mã tiêu chí", "criterion code"),
    "option": ("phương án", "mã phương án", "lựa chọn", "trả lời", "answer"),
}
BATCH_SIZE = 2000
BALLOT_CODE_LENGTH = 40

Row = Mapping[str, object]


def cell_text(value: object) -> str:
    """A cell as the text the user meant: 2022.0 → '2022', blank → '', text NFC without
    zero-width characters (`kernel.text.text_clean`)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return text_clean(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        # Excel shows (and means) 15 significant digits: 1.9269999999999998 is 1.927.
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value).strip()


def location(sheet: str, row: int, column: str, reason: str) -> str:
    """The error line of INTERFACES §2: `sheet!row: column: reason`, on one line whatever
    the cell it quotes holds."""
    if "\n" in reason or "\r" in reason:
        reason = reason.replace("\r\n", "↵").replace("\n", "↵").replace("\r", "↵")
    return f"{sheet}!{row}: {column}: {reason}"


def blank_required(
    sheet: str, row: int, values: Mapping[str, str], columns: Iterable[str]
) -> list[str]:
    """The error lines of the required cells left blank."""
    return [
        location(sheet, row, column, "bắt buộc, không được để trống")
        for column in columns
        if not values[column]
    ]


# Worded once for the checker and for the staged import, which checks stored ballots in SQL.
STORED = "đã lưu"


def answered_already(ballot: str, criterion: str, unit: str) -> str:
    """A ballot answers a criterion about a unit once: this one is stored already."""
    return (
        f"phiếu '{ballot}' đã có câu trả lời cho tiêu chí '{criterion}' "
        f"về đơn vị '{unit}' ({STORED})"
    )


def other_group(ballot: str, first_group: str, where: str, group: str) -> str:
    """A ballot belongs to one respondent group (`where`: its first row, or STORED)."""
    return (
        f"phiếu '{ballot}' đã thuộc nhóm '{first_group}' ({where}), không thể thuộc nhóm '{group}'"
    )


@dataclass(frozen=True)
class SurveyQuestion:
    scale: str
    groups: frozenset[str]


@dataclass(frozen=True)
class SurveyCodes:
    """What a ballot row may refer to, by code."""

    year: int
    groups: frozenset[str]
    unit_blocks: Mapping[str, str]  # unit code → block code
    criteria: Mapping[tuple[str, str], str]  # (block, code) → method ('' on inner nodes)
    questions: Mapping[tuple[str, str], SurveyQuestion]  # (block, criterion code)
    options: Mapping[str, frozenset[str]]  # scale code → option codes
    # Already stored, when appending to a year's ballots.
    ballot_groups: Mapping[str, str] = field(default_factory=dict)
    answered: frozenset[tuple[str, str, str]] = frozenset()  # (ballot, unit, criterion)
    # Units already reported as wrong elsewhere: their rows are skipped, not re-reported.
    unchecked_units: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AnswerRow:
    ballot: str
    group: str
    unit: str
    criterion: str
    option: str


def survey_codes_for_year(
    year: Year, *, with_stored_ballots: bool = True, with_stored_answers: bool = True
) -> SurveyCodes:
    """The codes of a stored year (for `import_ballots`).

    Staged imports check stored answers in SQL instead (`with_stored_answers=False`):
    a year of half a million answers does not fit in a set of tuples.
    """
    criteria = {
        (block, code): (method if is_leaf else "")
        for block, code, method, is_leaf in Criterion.objects.filter(year=year).values_list(
            "block__code", "code", "method", "is_leaf"
        )
    }
    questions: dict[tuple[str, str], tuple[str, set[str]]] = {}
    for block, code, scale in Question.objects.filter(criterion__year=year).values_list(
        "criterion__block__code", "criterion__code", "scale__code"
    ):
        questions[(block, code)] = (scale, set())
    for block, code, group in Question.groups.through.objects.filter(
        question__criterion__year=year
    ).values_list(
        "question__criterion__block__code", "question__criterion__code", "respondentgroup__code"
    ):
        questions[(block, code)][1].add(group)
    options: dict[str, set[str]] = {}
    for scale, option in ScaleOption.objects.filter(scale__year=year).values_list(
        "scale__code", "code"
    ):
        options.setdefault(scale, set()).add(option)
    ballot_groups: dict[str, str] = {}
    answered: frozenset[tuple[str, str, str]] = frozenset()
    if with_stored_ballots:
        ballot_groups = dict(
            Ballot.objects.filter(year=year).values_list("code", "group__code").order_by()
        )
    if with_stored_ballots and with_stored_answers:
        answered = frozenset(
            Answer.objects.filter(ballot__year=year)
            .values_list("ballot__code", "participation__unit__code", "criterion__code")
            .order_by()
        )
    return SurveyCodes(
        year=year.year,
        groups=frozenset(RespondentGroup.objects.filter(year=year).values_list("code", flat=True)),
        unit_blocks=dict(
            Participation.objects.filter(year=year).values_list("unit__code", "block__code")
        ),
        criteria=criteria,
        questions={
            key: SurveyQuestion(scale=scale, groups=frozenset(groups))
            for key, (scale, groups) in questions.items()
        },
        options={scale: frozenset(codes) for scale, codes in options.items()},
        ballot_groups=ballot_groups,
        answered=answered,
    )


def _case_folding(codes) -> dict[str, str]:
    """Casefolded code → the one code it stands for; codes sharing a fold are left out."""
    folded: dict[str, set[str]] = {}
    for code in codes:
        folded.setdefault(code.casefold(), set()).add(code)
    return {key: next(iter(same)) for key, same in folded.items() if len(same) == 1}


class BallotChecker:
    """Judges ballot rows one at a time against a year's codes, remembering what it saw.

    Memory grows with the number of distinct answers only by one small int each (codes
    are numbered), so a 500,000-answer file can be checked while it streams.
    """

    def __init__(self, codes: SurveyCodes, sheet: str = "ballots"):
        self.codes = codes
        self.sheet = sheet
        # ballot code → (group code, row where first seen); stored ballots have row 0.
        self.ballot_groups: dict[str, tuple[str, int]] = {
            code: (group, 0) for code, group in codes.ballot_groups.items()
        }
        self._numbers: dict[str, int] = {}
        self._seen: dict[int, int] = {}
        # Codes are case-insensitive (issue 13, Build 3): `s1` or `HDND` typed in Excel is
        # the year's `S1` or `hdnd`, when no other code differs from it only by case.
        options = frozenset().union(*codes.options.values()) if codes.options else frozenset()
        self._exact = {"unit": codes.unit_blocks.keys(), "group": codes.groups, "option": options}
        self._folded = {kind: _case_folding(known) for kind, known in self._exact.items()}

    def codes_folded(self, values: dict[str, str]) -> dict[str, str]:
        """`values` with its unit, group and option codes spelt as the year spells them."""
        for kind in ("unit", "group", "option"):
            code = values.get(kind)
            if code and code not in self._exact[kind]:
                values[kind] = self._folded[kind].get(code.casefold(), code)
        return values

    def _number(self, kind: str, code: str) -> int:
        key = kind + code
        number = self._numbers.get(key)
        if number is None:
            number = self._numbers[key] = len(self._numbers)
        return number

    def check_row(
        self, number: int, ballot: str, group: str, unit: str, errors: list[str]
    ) -> str | None:
        """The row-level cells (ballot, group, unit): the unit's block when all is well."""
        codes = self.codes
        if len(ballot) > BALLOT_CODE_LENGTH:
            errors.append(
                location(
                    self.sheet, number, "ballot", f"số phiếu dài quá {BALLOT_CODE_LENGTH} ký tự"
                )
            )
        if group:
            if group not in codes.groups:
                errors.append(
                    location(
                        self.sheet,
                        number,
                        "group",
                        f"nhóm đối tượng '{group}' không có trong năm {codes.year}",
                    )
                )
            elif ballot:
                first = self.ballot_groups.get(ballot)
                if first is None:
                    self.ballot_groups[ballot] = (group, number)
                elif first[0] != group:
                    where = f"dòng {first[1]}" if first[1] else STORED
                    errors.append(
                        location(
                            self.sheet, number, "group", other_group(ballot, first[0], where, group)
                        )
                    )
        block = codes.unit_blocks.get(unit) if unit else None
        if unit and block is None:
            errors.append(
                location(
                    self.sheet, number, "unit", f"đơn vị '{unit}' không tham gia năm {codes.year}"
                )
            )
        return block

    def check_answer(
        self,
        number: int,
        values: Mapping[str, str],
        block: str | None,
        errors: list[str],
        *,
        criterion_column: str = "criterion",
        option_column: str = "option",
        group_column: str = "group",
    ) -> None:
        """One answer (criterion, option) of a row whose unit is in `block` (None: unknown).

        The wide format names the criterion's own column in its errors.
        """
        columns = {"criterion": criterion_column, "option": option_column, "group": group_column}

        def refuse(column: str, reason: str) -> None:
            errors.append(location(self.sheet, number, columns[column], reason))

        question = self._question(values["criterion"], block, refuse)
        if question is not None:
            self._check_group_and_option(values, block, question, refuse)
        if values["ballot"] and values["unit"] and values["criterion"]:
            self._check_answered_once(number, values, refuse)

    def _question(self, criterion: str, block: str | None, refuse) -> SurveyQuestion | None:
        """The survey question of a criterion code in the block, or None (refused if wrong)."""
        if block is None or not criterion:
            return None
        method = self.codes.criteria.get((block, criterion))
        if method is None:
            refuse("criterion", f"tiêu chí '{criterion}' không có trong khối {block}")
        elif method != Criterion.Method.SURVEY:
            refuse(
                "criterion",
                f"tiêu chí '{criterion}' không phải tiêu chí lá chấm qua điều tra xã hội học",
            )
        else:
            question = self.codes.questions.get((block, criterion))
            if question is None:
                refuse(
                    "criterion",
                    f"tiêu chí '{criterion}' của khối {block} chưa có câu hỏi (trang questions)",
                )
            return question
        return None

    def _check_group_and_option(
        self, values: Mapping[str, str], block: str, question: SurveyQuestion, refuse
    ) -> None:
        group, criterion, option = values["group"], values["criterion"], values["option"]
        if group in self.codes.groups and group not in question.groups:
            refuse(
                "group", f"nhóm '{group}' không được hỏi tiêu chí '{criterion}' của khối {block}"
            )
        if option and option not in self.codes.options.get(question.scale, ()):
            refuse("option", f"phương án '{option}' không có trong thang đo '{question.scale}'")

    def _check_answered_once(self, number: int, values: Mapping[str, str], refuse) -> None:
        """A ballot answers a criterion about a unit once: not stored already, not twice here."""
        ballot, unit, criterion = values["ballot"], values["unit"], values["criterion"]
        if (ballot, unit, criterion) in self.codes.answered:
            refuse("criterion", answered_already(ballot, criterion, unit))
            return
        key = (
            (self._number("b", ballot) << 42)
            | (self._number("u", unit) << 21)
            | self._number("c", criterion)
        )
        first = self._seen.get(key)
        if first is not None:
            refuse(
                "criterion",
                f"phiếu '{ballot}' trả lời tiêu chí '{criterion}' về đơn vị '{unit}' "
                f"hai lần (dòng {first})",
            )
        else:
            self._seen[key] = number

    def check_long(self, number: int, row: Row) -> tuple[AnswerRow | None, list[str]]:
        """A row of the long format; (None, []) for a blank or unchecked row."""
        values = self.codes_folded(
            {column: cell_text(row.get(column)) for column in BALLOT_COLUMNS}
        )
        if not any(values.values()) or values["unit"] in self.codes.unchecked_units:
            return None, []
        errors = blank_required(self.sheet, number, values, BALLOT_COLUMNS)
        block = self.check_row(number, values["ballot"], values["group"], values["unit"], errors)
        self.check_answer(number, values, block, errors)
        if errors:
            return None, errors
        return AnswerRow(*(values[c] for c in BALLOT_COLUMNS)), []


def ballot_rows_validate(
    *, rows: Iterable[tuple[int, Row]], codes: SurveyCodes, sheet: str = "ballots"
) -> tuple[list[AnswerRow], list[str]]:
    """Check every ballot row against the year's codes; the answers to create and the errors.

    `rows` are (row number as the user sees it, {column: cell}); blank rows are skipped.
    """
    checker = BallotChecker(codes, sheet)
    answers: list[AnswerRow] = []
    errors: list[str] = []
    for number, row in rows:
        answer, row_errors = checker.check_long(number, row)
        errors.extend(row_errors)
        if answer is not None:
            answers.append(answer)
    return answers, errors


def ballot_rows_write(*, year: Year, answers: list[AnswerRow]) -> tuple[int, int]:
    """Create the ballots not yet stored and every answer; call inside a transaction.

    Returns (ballots created, answers created).
    """
    groups = dict(RespondentGroup.objects.filter(year=year).values_list("code", "pk"))
    participations = dict(Participation.objects.filter(year=year).values_list("unit__code", "pk"))
    unit_blocks = dict(
        Participation.objects.filter(year=year).values_list("unit__code", "block_id")
    )
    criteria = {
        (block_id, code): pk
        for block_id, code, pk in Criterion.objects.filter(year=year, is_leaf=True).values_list(
            "block_id", "code", "pk"
        )
    }
    question_scales = dict(
        Question.objects.filter(criterion__year=year).values_list("criterion_id", "scale_id")
    )
    options = {
        (scale_id, code): pk
        for scale_id, code, pk in ScaleOption.objects.filter(scale__year=year).values_list(
            "scale_id", "code", "pk"
        )
    }
    ballots = dict(Ballot.objects.filter(year=year).values_list("code", "pk"))
    new_ballots: dict[str, Ballot] = {}
    for answer in answers:
        if answer.ballot not in ballots and answer.ballot not in new_ballots:
            new_ballots[answer.ballot] = Ballot(
                year=year, code=answer.ballot, group_id=groups[answer.group]
            )
    for created in Ballot.objects.bulk_create(new_ballots.values(), batch_size=BATCH_SIZE):
        ballots[created.code] = created.pk

    to_create = []
    for answer in answers:
        criterion_id = criteria[(unit_blocks[answer.unit], answer.criterion)]
        to_create.append(
            Answer(
                ballot_id=ballots[answer.ballot],
                participation_id=participations[answer.unit],
                criterion_id=criterion_id,
                option_id=options[(question_scales[criterion_id], answer.option)],
            )
        )
    Answer.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    return len(new_ballots), len(to_create)
