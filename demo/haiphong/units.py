"""Hải Phòng since 1 July 2025: its blocks, units and the 2025 record (DOMAIN §8).

Names: the departments as published; the wards, communes and đặc khu are those of Nghị
quyết 1669/NQ-UBTVQH15 (16/06/2025: 45 phường, 67 xã, 2 đặc khu). The old Hải Phòng's 24
phường and 24 xã were checked against the press (tuoitrethudo.vn, 04/2025, which still had
the draft's "Vĩnh An" for the published Vĩnh Am); the 21 phường and 43 xã formed from Hải
Dương are as we know the resolution, not checked against its text here. The published ones
sit where the record puts them; the order of the others, and every figure the record does
not give, is invented. The xã block has 68 units: 67 xã and đặc khu Cát Hải (đặc khu Bạch Long
Vĩ, with no population of its own to survey, is not in the block: our assumption).
"""

from __future__ import annotations

from decimal import Decimal

from ..province import DemoUnit, Target, t

CITY = "Hải Phòng"

BLOCKS = {
    "S": "Sở, ban, ngành thành phố",
    "P": "UBND các phường",
    "X": "UBND các xã, đặc khu",
}
BLOCK_KINDS = {"S": "so", "P": "phuong", "X": "xa"}

# The departments in the order of 2025's ranking; key, name, head's title, PAR target,
# predecessors (DOMAIN §8's merged departments name both Hải Dương departments; the others
# the one they continue; Sở Ngoại vụ had none in Hải Dương).
DEPARTMENTS = [
    ("TTR", "Thanh tra thành phố", "Chánh Thanh tra thành phố", "94.71", "2022:A5"),
    ("VP", "Văn phòng UBND thành phố", "Chánh Văn phòng UBND thành phố", "94.40", "2022:A4"),
    ("TC", "Sở Tài chính", None, "92.99", "2022:A13;2022:A10"),
    ("NGV", "Sở Ngoại vụ", None, "92.90", "-"),
    ("NV", "Sở Nội vụ", None, "92.71", "2022:A2;2022:A14"),
    ("CT", "Sở Công thương", None, "92.38", "2022:A9"),
    ("GDDT", "Sở Giáo dục và Đào tạo", None, "91.95", "2022:A7"),
    ("XD", "Sở Xây dựng", None, "91.62", "2022:A6;2022:A1"),
    ("TP", "Sở Tư pháp", None, "91.17", "2022:A8"),
    ("KHCN", "Sở Khoa học và Công nghệ", None, "90.84", "2022:A3;2022:A16"),
    ("YT", "Sở Y tế", None, "90.26", "2022:A18"),
    ("NNMT", "Sở Nông nghiệp và Môi trường", None, "89.93", "2022:A11;2022:A12"),
    ("VHTTDL", "Sở Văn hóa, Thể thao và Du lịch", None, "89.47", "2022:A15"),
    (
        "KKT",
        "Ban Quản lý khu kinh tế Hải Phòng",
        "Trưởng Ban Quản lý khu kinh tế Hải Phòng",
        "88.99",
        "2022:A17",
    ),
]

# Wards in the order of 2025's ranking: the first five, ten at 93 or more and the last as
# published; the others invented.
WARDS = [
    "Hồng Bàng", "Hải An", "Hồng An", "Ngô Quyền", "Lê Chân", "Thủy Nguyên", "Gia Viên",
    "Hải Dương", "An Biên", "Đông Hải",
    "Kiến An", "Thành Đông", "Lê Thanh Nghị", "Đồ Sơn", "Thiên Hương", "Việt Hòa", "An Dương",
    "Chí Linh", "Dương Kinh", "Nam Đồng", "Bạch Đằng", "Phù Liễn", "Tân Hưng", "An Hải",
    "Lưu Kiếm", "Kinh Môn", "Hòa Bình", "Trần Hưng Đạo", "Thạch Khôi", "Nam Triệu",
    "Nguyễn Trãi", "An Phong", "Tứ Minh", "Lê Ích Mộc", "Nam Đồ Sơn", "Chu Văn An",
    "Hưng Đạo", "Ái Quốc", "Trần Nhân Tông", "Lê Đại Hành", "Nguyễn Đại Năng", "Trần Liễu",
    "Phạm Sư Mạnh", "Nhị Chiểu", "Bắc An Phụ",
]  # fmt: skip
WARD_INDICES = (
    ["95.80", "95.77", "95.57", "95.41", "95.18", "94.63", "94.21", "93.86", "93.44", "93.08"]
    + [f"{Decimal('92.87') - Decimal('0.41') * i:.2f}" for i in range(34)]
    + ["76.26"]
)

# Communes and the đặc khu in the order of 2025's ranking (first five and last as
# published); Khúc Thừa Dụ, first for satisfaction, sits mid-table.
COMMUNES = [
    "Cát Hải", "Quyết Thắng", "An Lão", "Gia Lộc", "Phú Thái", "Tiên Lãng", "Nam Sách",
    "Kiến Thụy", "Vĩnh Bảo", "Thanh Hà", "Kim Thành", "Cẩm Giàng", "Tứ Kỳ", "Ninh Giang",
    "Thanh Miện", "Bình Giang", "Kẻ Sặt", "Việt Khê", "An Hưng", "Tân Minh", "Khúc Thừa Dụ",
    "Kiến Minh", "Hà Tây", "Tuệ Tĩnh", "Nguyễn Bỉnh Khiêm", "An Khánh", "Yết Kiêu",
    "Lai Khê", "Thái Tân", "Kiến Hải", "Tiên Minh", "Hà Bắc", "Mao Điền", "Đường An",
    "Gia Phúc", "Tân Kỳ", "Vĩnh Lại", "Bắc Thanh Miện", "An Thành", "Hợp Tiến", "An Quang",
    "Chấn Hưng", "Hà Nam", "Cẩm Giang", "Thượng Hồng", "Trường Tân", "Đại Sơn", "Tân An",
    "Hải Hưng", "Trần Phú", "Kiến Hưng", "Vĩnh Hải", "Hùng Thắng", "Hà Đông", "Chí Minh",
    "Hồng Châu", "Nguyễn Lương Bằng", "An Phú", "An Trường", "Nghi Dương", "Lạc Phượng",
    "Nam Thanh Miện", "Vĩnh Hòa", "Nguyên Giáp", "Vĩnh Thịnh", "Nam An Phụ", "Vĩnh Thuận",
    "Vĩnh Am",
]  # fmt: skip
SPECIAL_ZONES = {"Cát Hải"}
COMMUNE_INDICES = (
    ["94.15", "93.40", "92.94", "92.71", "92.55"]
    + [f"{Decimal('92.31') - Decimal('0.27') * i:.2f}" for i in range(62)]
    + ["73.37"]
)
# A few units were awarded the commune set's bonus (1.7), a few lost points to discipline.
BONUS = {"P2": "1", "P6": "0.5", "P12": "0.5", "X2": "1", "X7": "0.5", "X20": "0.5"}
DEDUCTION = {"P30": "0.5", "P44": "1", "X40": "0.5", "X66": "1", "S14": "0.5"}


def _department(position: int, key, name, head_title, _index, predecessors) -> DemoUnit:
    return DemoUnit(f"S{position}", key, name, head_title or f"Giám đốc {name}", "so", predecessors)


def _local(block: str, position: int, place: str) -> DemoUnit:
    kind = "dac_khu" if place in SPECIAL_ZONES else ("phuong" if block == "P" else "xa")
    word = {"dac_khu": "đặc khu", "phuong": "phường", "xa": "xã"}[kind]
    return DemoUnit(
        f"{block}{position}",
        f"{block}{position}",
        f"UBND {word} {place}",
        f"Chủ tịch UBND {word} {place}",
        kind,
        "-",  # a 2025 commune or ward is new: no district is its predecessor
    )


UNITS = (
    [_department(i, *row) for i, row in enumerate(DEPARTMENTS, start=1)]
    + [_local("P", i, place) for i, place in enumerate(WARDS, start=1)]
    + [_local("X", i, place) for i, place in enumerate(COMMUNES, start=1)]
)
UNIT_BY_KEY = {unit.key: unit for unit in UNITS}


def _targets() -> dict[str, Target]:
    indices = {f"S{i}": row[3] for i, row in enumerate(DEPARTMENTS, start=1)}
    indices |= {f"P{i}": value for i, value in enumerate(WARD_INDICES, start=1)}
    indices |= {f"X{i}": value for i, value in enumerate(COMMUNE_INDICES, start=1)}
    by_code = {unit.code: unit.key for unit in UNITS}
    return {
        by_code[code]: t(index, deduction=DEDUCTION.get(code, "0"), bonus=BONUS.get(code, "0"))
        for code, index in indices.items()
    }


TARGETS_2025 = _targets()

GROUPS = {
    "hdnd": "Đại biểu HĐND thành phố",
    "mttq": "Lãnh đạo Ủy ban MTTQ Việt Nam thành phố",
    "lanh_dao_xa": "Lãnh đạo UBND các xã, phường, đặc khu",
    "lanh_dao_so": "Lãnh đạo các sở, ban, ngành thành phố",
    "nguoi_dan": "Người dân, doanh nghiệp đã thực hiện thủ tục hành chính",
}
ORGANISATION_GROUPS = {
    "S": ["hdnd", "mttq", "lanh_dao_xa"],
    "P": ["hdnd", "mttq", "lanh_dao_so"],
    "X": ["hdnd", "mttq", "lanh_dao_so"],
}
# Organisations' ballots per block (each rates every unit of the block).
ORGANISATION_PLAN = {
    "S": {"hdnd": 15, "mttq": 4, "lanh_dao_xa": 30},
    "P": {"hdnd": 12, "mttq": 4, "lanh_dao_so": 14},
    "X": {"hdnd": 12, "mttq": 4, "lanh_dao_so": 14},
}
# DOMAIN §8: 93 (named "Xuất sắc"), 80, 72,5, the same for the three blocks.
RULES = {"bands": "93;80;72,5", "band_names": "Xuất sắc;Tốt;Khá"}

# The satisfaction index as published (percent, two decimals): the city, each block, the
# first of each block (and the departments' first five, the wards' first two in order).
SIPAS_CITY = Decimal("92.67")
SIPAS_BLOCKS = {"S": Decimal("93.95"), "P": Decimal("92.26"), "X": Decimal("91.87")}
SIPAS_FIRSTS = {
    "S": ["CT", "VP", "GDDT", "NV", "XD"],
    "P": ["P1", "P4"],
    "X": ["X21"],
}
SIPAS_PUBLISHED = {"CT": Decimal("96.86"), "P1": Decimal("98.30"), "X21": Decimal("97.98")}
