"""Validating a year workbook's rows into a plain structure, collecting every error.

Nothing here touches the database except the final look at the year being replaced; the
result (`YearData`) is what `write.py` stores.
"""

from __future__ import annotations

from decimal import Decimal

from criteria.models import Year
from criteria.phase import frozen_message
from criteria.rules import (
    DEFAULT_RULES,
    OPTIONAL_RULES,
    parse_band_names,
    parse_bands,
    parse_class_rule,
    parse_self_review,
)
from surveys.ballots import ballot_rows_validate, cell_text, location

from .cells import RowCells, parse_day, window_end, window_start
from .read import Rows
from .replace import Carried, replace_refusals
from .validate_criteria import criteria_validate, scores_validate
from .validate_surveys import (
    groups_validate,
    questions_validate,
    scales_validate,
    survey_codes_of,
)
from .validate_units import blocks_validate, units_validate
from .year_data import YearData, block_of

YEAR_KEYS = (
    "year",
    "name",
    "self_assessment_opens",
    "self_assessment_closes",
    "appraisal_opens",
    "appraisal_closes",
    # Optional, beyond INTERFACES §2 (which ignores nothing here): the explanation round.
    "explanation_opens",
    "explanation_closes",
    "published_on",
    # Optional (DOMAIN §8): the province or city the year belongs to; blank, the installation's.
    "province",
)
WINDOWS = {"self_assessment": "tự đánh giá", "appraisal": "thẩm định", "explanation": "giải trình"}
RULE_PARSERS = {
    "bands": parse_bands,
    "xuat_sac": parse_class_rule,
    "tot": parse_class_rule,
    "hoan_thanh": parse_class_rule,
    "self_review": parse_self_review,
    "band_names": parse_band_names,
}
RULE_LENGTHS = {
    "bands": 60,
    "xuat_sac": 20,
    "tot": 20,
    "hoan_thanh": 20,
    "self_review": 200,
    "band_names": 300,
}
RULE_KEYS = (*DEFAULT_RULES, *OPTIONAL_RULES)


def workbook_validate(sheets: dict[str, Rows]) -> tuple[YearData, list[str]]:
    """Every sheet checked, in dependency order; every error collected."""
    data = YearData(notes=list(getattr(sheets, "notes", [])))
    errors: list[str] = []
    _year(sheets.get("year", []), data, errors)
    blocks_validate(sheets.get("blocks", []), data, errors)
    _rules(sheets.get("rules", []), data, errors)
    units_validate(sheets.get("units", []), data, errors)
    criteria_validate(sheets.get("criteria", []), data, errors)
    scores_validate(sheets.get("scores", []), data, errors)
    groups_validate(sheets.get("groups", []), data, errors)
    scales_validate(sheets.get("scales", []), data, errors)
    questions_validate(sheets.get("questions", []), data, errors)
    data.answers, ballot_errors = ballot_rows_validate(
        rows=sheets.get("ballots", []), codes=survey_codes_of(data)
    )
    errors.extend(ballot_errors)
    if data.published_on:
        errors.extend(_published_sheets_check(data, getattr(sheets, "absent", set())))
    return data, errors


def _published_sheets_check(data: YearData, absent: set[str]) -> list[str]:
    """A published year is frozen once imported: a scores or ballots sheet it needs and does
    not have would freeze every unit at 0 for those leaves, so it is an error, not no data."""
    needed = {
        "scores": any(c.is_leaf and c.method == "evidence" for c in data.criteria.values()),
        "ballots": bool(data.questions),
    }
    return [
        location(
            sheet,
            1,
            "-",
            f"năm đã công bố (published_on) nhưng tệp không có trang '{sheet}': mọi đơn vị sẽ "
            "bị tính 0 điểm ở các tiêu chí này và năm bị khóa; thêm lại trang này",
        )
        for sheet, need in needed.items()
        if need and sheet in absent
    ]


def year_target_check(
    *, data: YearData, replace: bool, carried: Carried | None = None
) -> list[str]:
    """A published year is never replaced; an existing one only with `replace`, and only
    when no work of the year would be lost (`replace.py`)."""
    if not data.year:
        return []
    existing = Year.objects.filter(year=data.year).first()
    if existing is None:
        return []
    where = ("year", data.year_row, "value")
    if existing.is_published:
        return [location(*where, frozen_message(data.year))]
    if not replace:
        return [
            location(
                *where,
                f"năm {data.year} đã có trong hệ thống; nhập với --replace để thay thế "
                "toàn bộ dữ liệu của năm",
            )
        ]
    return replace_refusals(existing=existing, data=data, carried=carried)


def _year(rows: Rows, data: YearData, errors: list[str]) -> None:
    seen: dict[str, int] = {}
    texts: dict[str, str] = {}
    for number, row in rows:
        cells = RowCells("year", number, row, errors)
        key = cells.text("key", required=True)
        if not key:
            continue
        if key not in YEAR_KEYS:
            cells.error("key", f"khóa '{key}' không hợp lệ; các khóa: {', '.join(YEAR_KEYS)}")
            continue
        if key in seen:
            cells.error("key", f"khóa '{key}' lặp lại (dòng {seen[key]})")
            continue
        seen[key] = number
        raw = row.get("value")
        if key == "year":
            data.year_row = number
            value = cells.decimal("value", required=True, places=0, digits=4, minimum=Decimal(1900))
            if value is not None:
                data.year = int(value)
        elif key == "name":
            data.name = cells.text("value", required=True, max_length=300)
        elif key == "province":
            data.province = cells.text("value", max_length=100)
        elif cell_text(raw):
            texts[key] = cell_text(raw)
            parse = {"published_on": parse_day}.get(
                key, window_start if key.endswith("_opens") else window_end
            )
            try:
                setattr(data, key, parse(raw))
            except ValueError as error:
                cells.error("value", str(error))
    for key in ("year", "name"):
        if key not in seen:
            errors.append(location("year", 1, "key", f"thiếu khóa bắt buộc '{key}'"))
    data.key_rows = seen
    _windows(data, texts, errors)


def _windows(data: YearData, texts: dict[str, str], errors: list[str]) -> None:
    """Each window opens before it closes, and one follows the other (DOMAIN §3):
    self-assessment, then appraisal, then explanation. `texts` holds the cells as written;
    a cell that did not parse was reported already."""
    rows = data.key_rows
    previous = None
    for window, words in WINDOWS.items():
        opens_key, closes_key = f"{window}_opens", f"{window}_closes"
        opens, closes = getattr(data, opens_key), getattr(data, closes_key)
        given = [key for key in (opens_key, closes_key) if key in texts]
        if len(given) == 1 and (opens or closes):
            missing = closes_key if given == [opens_key] else opens_key
            errors.append(
                location(
                    "year",
                    rows[given[0]],
                    "value",
                    f"thời gian {words} cần cả ngày mở và ngày đóng: thiếu {missing}",
                )
            )
        if opens is None or closes is None:
            continue
        if closes <= opens:
            errors.append(
                location(
                    "year",
                    rows[closes_key],
                    "value",
                    f"{closes_key} ({texts[closes_key]}) phải sau {opens_key} "
                    f"({texts[opens_key]}): thời gian {words} phải mở trước khi đóng",
                )
            )
            continue
        if previous is not None and opens < getattr(data, f"{previous}_closes"):
            errors.append(
                location(
                    "year",
                    rows[opens_key],
                    "value",
                    f"{opens_key} ({texts[opens_key]}) phải sau {previous}_closes "
                    f"({texts[f'{previous}_closes']}): {words} chỉ mở khi "
                    f"{WINDOWS[previous]} đã đóng",
                )
            )
        previous = window


def _rules(rows: Rows, data: YearData, errors: list[str]) -> None:
    first: dict[tuple[str, str], int] = {}
    failed: set[tuple[str, str]] = set()
    for number, row in rows:
        cells = RowCells("rules", number, row, errors)
        block = block_of(cells, data)
        key = cells.text("key", required=True)
        value = cells.text("value", required=True)
        if key and key not in RULE_PARSERS:
            cells.error("key", f"quy tắc '{key}' không hợp lệ; các quy tắc: {', '.join(RULE_KEYS)}")
            continue
        if value and key:
            try:
                RULE_PARSERS[key](value)
            except ValueError as error:
                cells.error("value", str(error))
            if len(value) > RULE_LENGTHS[key]:
                cells.error("value", f"dài quá {RULE_LENGTHS[key]} ký tự")
        if block and key:
            if (block, key) in first:
                cells.error(
                    "key", f"quy tắc '{key}' của khối {block} lặp lại (dòng {first[block, key]})"
                )
            else:
                first[block, key] = number
        if cells.ok:
            data.rules.setdefault(block, {})[key] = value
            data.rule_rows[block, key] = number
        elif block and key:
            failed.add((block, key))
    _band_names_check(data, failed, errors)


def _band_names_check(data: YearData, failed: set[tuple[str, str]], errors: list[str]) -> None:
    """One name per threshold (INTERFACES §2), of the block's `bands` or the default ones;
    not counted against a `bands` cell that is wrong itself."""
    for block, rules in data.rules.items():
        if "band_names" not in rules or (block, "bands") in failed:
            continue
        bands = rules.get("bands", DEFAULT_RULES["bands"])
        try:
            names = parse_band_names(rules["band_names"], bands)
        except ValueError as error:
            errors.append(
                location("rules", data.rule_rows[block, "band_names"], "value", str(error))
            )
            del rules["band_names"]
        else:
            rules["band_names"] = ";".join(names)
