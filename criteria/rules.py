"""The workbook's notation for numbers and rules (INTERFACES.md §2), parsed and written."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

HUNDRED = Decimal(100)

DEFAULT_RULES = {
    "bands": "90;80;70",
    "xuat_sac": "90;80",
    "tot": "80;70",
    "hoan_thanh": "65;50",
    "self_review": "3:75;7:75",
}
# Rules a block may leave out (blank: none), beyond DEFAULT_RULES.
OPTIONAL_RULES = {"band_names": ""}


def parse_decimal(value) -> Decimal:
    """A number from a cell: numeric, or text with `.` or `,` as decimal separator.

    Raises ValueError with a Vietnamese message.
    """
    if isinstance(value, bool):
        raise ValueError(f"'{value}' không phải là số")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # Cells hold binary floats: their shortest repr is the number the user typed.
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"'{value}' không phải là số") from None
    if not number.is_finite():
        raise ValueError(f"'{value}' không phải là số")
    return number


def format_decimal(value: Decimal) -> str:
    """Shortest plain text of a Decimal, `,` as separator: 0.500 → '0,5'."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def parse_number_list(text: str) -> tuple[Decimal, ...]:
    return tuple(parse_decimal(part) for part in str(text).split(";") if part.strip())


def parse_bands(text: str) -> tuple[Decimal, ...]:
    bands = parse_number_list(text)
    if not bands:
        raise ValueError("cần ít nhất một ngưỡng nhóm")
    if list(bands) != sorted(bands, reverse=True) or len(set(bands)) != len(bands):
        raise ValueError("các ngưỡng nhóm phải giảm dần, ví dụ 90;80;70")
    if any(b < 0 or b > 100 for b in bands):
        raise ValueError("ngưỡng nhóm phải trong khoảng 0…100")
    return bands


def parse_band_names(text: str, bands: str | None = None) -> tuple[str, ...]:
    """`Xuất sắc;Tốt;Khá`: one name per threshold of `bands` (DOMAIN §8), blank → none."""
    names = tuple(part.strip() for part in str(text or "").split(";"))
    if names == ("",):
        return ()
    if any(not name for name in names):
        raise ValueError("tên nhóm không được để trống giữa hai dấu “;”, ví dụ Xuất sắc;Tốt;Khá")
    if len(set(names)) != len(names):
        raise ValueError("các tên nhóm phải khác nhau")
    if any(len(name) > 100 for name in names):
        raise ValueError("mỗi tên nhóm dài tối đa 100 ký tự")
    if bands is not None:
        count = len(parse_bands(bands))
        if count != len(names):
            raise ValueError(
                f"có {len(names)} tên nhóm nhưng {count} ngưỡng nhóm ({bands}): "
                "mỗi ngưỡng một tên, theo thứ tự từ cao xuống thấp"
            )
    return names


def parse_class_rule(text: str) -> tuple[Decimal, Decimal]:
    numbers = parse_number_list(text)
    if len(numbers) != 2 or any(n < 0 or n > 100 for n in numbers):
        raise ValueError("cần hai ngưỡng (tổng;từng lĩnh vực) trong khoảng 0…100, ví dụ 90;80")
    return numbers[0], numbers[1]


def parse_self_review(text: str) -> tuple[tuple[str, Decimal], ...]:
    pairs = []
    for part in str(text).split(";"):
        if not part.strip():
            continue
        code, sep, threshold = part.partition(":")
        if not sep or not code.strip():
            raise ValueError(f"'{part}' không đúng dạng mã_lĩnh_vực:ngưỡng, ví dụ 3:75")
        number = parse_decimal(threshold)
        if number < 0 or number > 100:
            raise ValueError(f"ngưỡng '{threshold}' phải trong khoảng 0…100")
        pairs.append((code.strip(), number))
    return tuple(pairs)


def parse_rubric(text: str) -> tuple[tuple[Decimal, Decimal], ...]:
    """`100:1;80:0,5;0:0` → ((100, 1), (80, 0.5), (0, 0)); thresholds strictly decreasing."""
    pairs = []
    for part in str(text).split(";"):
        if not part.strip():
            continue
        threshold, sep, points = part.partition(":")
        if not sep:
            raise ValueError(f"'{part}' không đúng dạng ngưỡng:điểm, ví dụ 80:0,5")
        pairs.append((parse_decimal(threshold), parse_decimal(points)))
    thresholds = [t for t, _ in pairs]
    if thresholds != sorted(thresholds, reverse=True) or len(set(thresholds)) != len(thresholds):
        raise ValueError("các ngưỡng của thang chấm phải giảm dần, ngưỡng cao nhất trước")
    if any(points < 0 for _, points in pairs):
        raise ValueError("điểm của thang chấm không được âm")
    return tuple(pairs)


def format_rubric(pairs) -> str:
    return ";".join(f"{format_decimal(Decimal(t))}:{format_decimal(Decimal(p))}" for t, p in pairs)


def rubric_is_percentage(rubric: Sequence[tuple[Decimal, Decimal]]) -> bool:
    """A measured leaf is scored "theo tỷ lệ" (DOMAIN §2: "100 % → 1 điểm; 80 % …"); the model
    carries no unit, so a rubric whose thresholds all lie within 0…100 measures a percentage.
    One with a threshold above 100 counts something else and only has to be non-negative."""
    return bool(rubric) and all(Decimal(0) <= Decimal(t) <= HUNDRED for t, _ in rubric)


def measured_value_check(rubric: Sequence[tuple[Decimal, Decimal]], value: Decimal) -> None:
    """Raises ValueError, in Vietnamese, for a value the leaf cannot have measured."""
    if value < 0:
        raise ValueError(f"phải là số không âm (đã nhập {format_decimal(value)})")
    if value > HUNDRED and rubric_is_percentage(rubric):
        raise ValueError(f"là tỷ lệ phần trăm, phải từ 0 đến 100 (đã nhập {format_decimal(value)})")


def rubric_points(rubric: Sequence[tuple[Decimal, Decimal]], value: Decimal) -> Decimal:
    """Points of a measured value: the first (highest) threshold it reaches, else 0."""
    for threshold, points in rubric:
        if value >= threshold:
            return points
    return Decimal(0)


# The `predecessors` notation (INTERFACES §2 `units.predecessors`, DOMAIN §8), where the
# participation that stores it lives, so that the admin (which may not import the engine)
# checks it as the workbook does. appraisal.lineage reads the same notation.
NONE_MARK = "-"
REFERENCE = re.compile(r"^(\d{4}):(\S+)$")


class LineageError(ValueError):
    """A malformed `predecessors` cell; the message is Vietnamese and names the fault."""


@dataclass(frozen=True, order=True)
class Reference:
    """`YEAR:CODE`: a unit of an earlier year."""

    year: int
    code: str

    def __str__(self) -> str:
        return f"{self.year}:{self.code}"


def parse_lineage(text: str | None, *, year: int | None = None) -> tuple[Reference, ...] | None:
    """Blank → None (no lineage given), `-` → () (none), else the references; with `year`,
    every reference must be to an earlier year."""
    text = (text or "").strip()
    if not text:
        return None
    if text == NONE_MARK:
        return ()
    references: list[Reference] = []
    for part in (piece.strip() for piece in text.split(";")):
        if not part:
            continue
        if part == NONE_MARK:
            raise LineageError("“-” (không có đơn vị tiền thân) không đi cùng mã đơn vị khác.")
        match = REFERENCE.match(part)
        if match is None:
            raise LineageError(
                f"“{part}” không đúng dạng NĂM:MÃ (ví dụ 2022:A6), các mục cách nhau bằng “;”."
            )
        reference = Reference(int(match[1]), match[2])
        if year is not None and reference.year >= year:
            raise LineageError(f"Đơn vị tiền thân “{part}” phải thuộc một năm trước năm {year}.")
        if reference in references:
            raise LineageError(f"Đơn vị tiền thân “{part}” được ghi hai lần.")
        references.append(reference)
    if not references:
        raise LineageError("Không đọc được đơn vị tiền thân nào; để trống hoặc ghi “-”.")
    return tuple(references)


def format_lineage(lineage: tuple[Reference, ...] | None) -> str:
    """The inverse of `parse_lineage`: None → "", () → "-"."""
    if lineage is None:
        return ""
    if not lineage:
        return NONE_MARK
    return ";".join(str(reference) for reference in lineage)
