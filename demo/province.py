"""The demo province: Hải Dương, its units, and the record its 2021 and 2022 results must show.

Targets are the unit indices (and, where the record needs them, area indices) that the
demo's scores are built to reach. They encode DOMAIN.md §6: ranks, bands, the heads'
classes, self-review flags and rank changes follow from them through the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

PROVINCE = "Hải Dương"

BLOCKS = {
    "A": "Sở, ban, ngành tỉnh",
    "B": "UBND các huyện, thị xã, thành phố",
}
BLOCK_KINDS = {"A": "so", "B": "huyen"}


@dataclass(frozen=True)
class DemoUnit:
    code: str
    key: str
    name: str
    head_title: str
    kind: str = ""  # blank: the block's kind
    predecessors: str = ""  # as the workbook writes it (INTERFACES §2): blank, `-` or refs

    @property
    def block(self) -> str:
        return self.code[0]


def _department(code: str, key: str, name: str, head_title: str | None = None) -> DemoUnit:
    return DemoUnit(code, key, name, head_title or f"Giám đốc {name}")


def _district(code: str, key: str, kind: str, place: str) -> DemoUnit:
    return DemoUnit(code, key, f"UBND {kind} {place}", f"Chủ tịch UBND {kind} {place}")


# Annex codes (biểu số A1…A18, B1…B12) in the order of the 2022 ranking.
UNITS = [
    _department("A1", "GTVT", "Sở Giao thông vận tải"),
    _department("A2", "NV", "Sở Nội vụ"),
    _department("A3", "KHCN", "Sở Khoa học và Công nghệ"),
    _department("A4", "VP", "Văn phòng UBND tỉnh", "Chánh Văn phòng UBND tỉnh"),
    _department("A5", "TTR", "Thanh tra tỉnh", "Chánh Thanh tra tỉnh"),
    _department("A6", "XD", "Sở Xây dựng"),
    _department("A7", "GDDT", "Sở Giáo dục và Đào tạo"),
    _department("A8", "TP", "Sở Tư pháp"),
    _department("A9", "CT", "Sở Công Thương"),
    _department("A10", "KHDT", "Sở Kế hoạch và Đầu tư"),
    _department("A11", "NN", "Sở Nông nghiệp và Phát triển nông thôn"),
    _department("A12", "TNMT", "Sở Tài nguyên và Môi trường"),
    _department("A13", "TC", "Sở Tài chính"),
    _department("A14", "LDTBXH", "Sở Lao động - Thương binh và Xã hội"),
    _department("A15", "VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    _department("A16", "TTTT", "Sở Thông tin và Truyền thông"),
    _department(
        "A17",
        "KCN",
        "Ban Quản lý các khu công nghiệp tỉnh",
        "Trưởng Ban Quản lý các khu công nghiệp tỉnh",
    ),
    _department("A18", "YT", "Sở Y tế"),
    _district("B1", "NAM_SACH", "huyện", "Nam Sách"),
    _district("B2", "KIM_THANH", "huyện", "Kim Thành"),
    _district("B3", "CHI_LINH", "thành phố", "Chí Linh"),
    _district("B4", "KINH_MON", "thị xã", "Kinh Môn"),
    _district("B5", "GIA_LOC", "huyện", "Gia Lộc"),
    _district("B6", "THANH_MIEN", "huyện", "Thanh Miện"),
    _district("B7", "CAM_GIANG", "huyện", "Cẩm Giàng"),
    _district("B8", "TP_HAI_DUONG", "thành phố", "Hải Dương"),
    _district("B9", "NINH_GIANG", "huyện", "Ninh Giang"),
    _district("B10", "BINH_GIANG", "huyện", "Bình Giang"),
    _district("B11", "TU_KY", "huyện", "Tứ Kỳ"),
    _district("B12", "THANH_HA", "huyện", "Thanh Hà"),
]
UNIT_BY_KEY = {unit.key: unit for unit in UNITS}


@dataclass(frozen=True)
class Target:
    """What a unit's computed result must be: its index and any pinned area indices."""

    index: Decimal
    areas: dict[str, Decimal] = field(default_factory=dict)
    deduction: Decimal = Decimal(0)  # points of the "5.5" deduction leaf
    not_applicable: tuple[str, ...] = ()
    values: dict[str, Decimal] = field(default_factory=dict)  # measured leaves' values
    bonus: Decimal = Decimal(0)  # points of the bonus leaf, where the tree has one


def t(
    index: str,
    deduction: str = "0",
    not_applicable: tuple = (),
    values: dict | None = None,
    bonus: str = "0",
    **areas: str,
) -> Target:
    return Target(
        Decimal(index),
        {code.removeprefix("a"): Decimal(value) for code, value in areas.items()},
        Decimal(deduction),
        not_applicable,
        {code: Decimal(value) for code, value in (values or {}).items()},
        Decimal(bonus),
    )


# 2022 (report 27/BC-UBND of 01/03/2023). Measured values pinned below are the report's
# own figures (V.2.3: share of applications handled fully online). Departments: ≥ 90 %: GTVT, Nội vụ, KH&CN;
# < 80 %: Y tế; heads 3 xuất sắc, 13 tốt, 2 hoàn thành (BQL KCN and Y tế, each with an
# area below 70 %); self-review (TTHC = area 3, e-government = area 7 below 75 %): Y tế
# (3, 7), BQL KCN (3), KH&ĐT (3), LĐ-TB&XH (7).
TARGETS_2022 = {
    "GTVT": t("93.12"),
    "NV": t("91.47"),
    "KHCN": t("90.38"),
    "VP": t("88.95", not_applicable=("6.2.1",)),
    "TTR": t("88.10", not_applicable=("6.2.1",)),
    "XD": t("87.42"),
    "GDDT": t("86.85"),
    "TP": t("86.20"),
    "CT": t("85.64"),
    "KHDT": t("85.02", a3="72.6", values={"7.2.1": "51"}),
    "NN": t("84.47"),
    "TNMT": t("83.90", values={"7.2.1": "53"}),
    "TC": t("83.31", deduction="0.5"),
    "LDTBXH": t("82.66", a7="72.8", values={"7.2.1": "24"}),
    "VHTTDL": t("82.05"),
    "TTTT": t("81.48"),
    "KCN": t("80.62", a3="66.4", not_applicable=("6.2.1",), values={"7.2.1": "52"}),
    "YT": t("77.84", deduction="1", a3="67.9", a7="70.6"),
    # Districts: ≥ 90 %: Nam Sách, Kim Thành; 70–80 %: Thanh Hà; heads 2 xuất sắc,
    # 8 tốt, 2 hoàn thành (Tứ Kỳ, Thanh Hà); self-review Tứ Kỳ (3), Thanh Hà (3, 7).
    "NAM_SACH": t("91.26"),
    "KIM_THANH": t("90.41"),
    "CHI_LINH": t("88.73"),
    "KINH_MON": t("87.95"),
    "GIA_LOC": t("87.12"),
    "THANH_MIEN": t("86.38"),
    "CAM_GIANG": t("85.71"),
    "TP_HAI_DUONG": t("85.04"),
    "NINH_GIANG": t("84.29"),
    "BINH_GIANG": t("83.55"),
    "TU_KY": t("81.37", a3="66.8"),
    "THANH_HA": t("76.92", a3="68.7", a7="71.2", values={"7.2.1": "32"}),
}

# 2021 (press, 21/03/2022): GTVT 91,53 first, KH&CN 90,33 second, Y tế last; TP. Hải
# Dương and Nam Sách both 85,86, first and second; Chí Linh 3rd, Kinh Môn 4th, Ninh
# Giang last; heads: departments 2 / 14 / 2, districts 0 / 8 / 4. The ranks are those
# the 2022 report's rank changes imply (e.g. GD&ĐT 14th → 7th: +7).
TARGETS_2021 = {
    "GTVT": t("91.53"),
    "KHCN": t("90.33"),
    "VP": t("88.71", not_applicable=("6.2.1",)),
    "TTR": t("88.02", not_applicable=("6.2.1",)),
    "NV": t("87.36"),
    "TP": t("86.79"),
    "KHDT": t("86.15"),
    "XD": t("85.60"),
    "CT": t("85.07"),
    "TC": t("84.52"),
    "NN": t("83.98"),
    "TNMT": t("83.41"),
    "TTTT": t("82.87"),
    "GDDT": t("82.30"),
    "VHTTDL": t("81.76"),
    "LDTBXH": t("81.12"),
    "KCN": t("78.64", a3="71.9", not_applicable=("6.2.1",)),
    "YT": t("76.25", a3="69.4"),
    # 85,86 both: ranked on full precision, TP. Hải Dương first.
    "TP_HAI_DUONG": t("85.862"),
    "NAM_SACH": t("85.858"),
    "CHI_LINH": t("85.21"),
    "KINH_MON": t("84.63"),
    "GIA_LOC": t("83.97"),
    "TU_KY": t("83.35"),
    "THANH_MIEN": t("82.71"),
    "THANH_HA": t("81.94"),
    "CAM_GIANG": t("79.42"),
    "KIM_THANH": t("78.76"),
    "BINH_GIANG": t("77.38"),
    "NINH_GIANG": t("75.64"),
}

GROUPS = {
    "hdnd": "Đại biểu HĐND tỉnh",
    "mttq": "Lãnh đạo Ủy ban MTTQ Việt Nam tỉnh",
    "lanh_dao_huyen": "Lãnh đạo UBND, Thường trực HĐND cấp huyện",
    "lanh_dao_so": "Lãnh đạo các sở, ban, ngành tỉnh",
    "nguoi_dan": "Người dân, doanh nghiệp đã thực hiện thủ tục hành chính",
}

# DOMAIN §3: 2,476 ballots in 2022, by block and respondent group.
BALLOT_PLAN = {
    "A": {"hdnd": 20, "mttq": 4, "lanh_dao_huyen": 96, "nguoi_dan": 640},
    "B": {"hdnd": 20, "mttq": 4, "lanh_dao_so": 72, "nguoi_dan": 1620},
}
