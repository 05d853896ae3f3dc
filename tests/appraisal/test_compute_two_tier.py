"""The compute job for the two-tier province (DOMAIN §8): band names, bonus leaves, lineage
and the SIPAS index, stored and served (INTERFACES §4), every figure counted by hand.

Hải Dương 2022 (history; block A of kind `so`, block B with no kind, as old years have):
area 1 = leaf 1.1 (10), area 2 = leaf 2.1 (10), both by evidence.

    A1 Sở Giao thông vận tải  10 + 9,5 → 97,5 % (areas 100, 95)  rank 1
    A11 Sở Kế hoạch và Đầu tư  9 + 10  → 95 %   (90, 100)         rank 2
    A6 Sở Tài chính            8 + 9   → 85 %   (80, 90)          rank 3
    A2 Sở Nội vụ               7 + 7   → 70 %   (70, 70)          rank 4
    B2 UBND huyện Kim Thành    9 + 9   → 90 %   (90, 90)          rank 1
    B1 UBND huyện Nam Sách     6 + 8   → 70 %   (60, 80)          rank 2

Hải Phòng 2025, three blocks with one tree: area 1 (10) = 1.1 (8) + 1.2 (2) by evidence,
1.3 a bonus (1), 1.4 a deduction (1); area 2 (10) = 2.1 the SIPAS question (5) + 2.2 the
organisations' question (5). Block S (sở) has bands 93;80;72,5 named Xuất sắc;Tốt;Khá;
P (phường) and X (xã and đặc khu) keep the default rules. Every SIPAS ballot answers one
question about one unit, so a unit's interval is the textbook one of a mean.
"""

from __future__ import annotations

import io
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from appraisal.models import AreaResult, BlockResult, Computation, UnitResult
from appraisal.services.compute import results_compute
from criteria.models import BlockRules, Criterion, Participation, Year
from evidence.models import Score
from surveys.models import Answer, Ballot, Question, RespondentGroup, Scale, ScaleOption
from tests.personas import member
from units.models import Block, Membership, Unit

D = Decimal
K = Criterion.Kind

TREE_2022 = [("1", "10", ""), ("1.1", "10", "evidence"), ("2", "10", ""), ("2.1", "10", "evidence")]
TREE_2025 = [
    ("1", "10", ""),
    ("1.1", "8", "evidence"),
    ("1.2", "2", "evidence"),
    ("1.3", "1", "evidence", K.BONUS),
    ("1.4", "1", "evidence", K.DEDUCTION),
    ("2", "10", ""),
    ("2.1", "5", "survey"),
    ("2.2", "5", "survey"),
]
# option code → coefficient; "9" (Không biết) is not counted.
OPTIONS = {"1": "1", "2": "0.75", "3": "0.5", "4": "0", "9": "0"}
COEFFICIENT_OPTION = {D("1"): "1", D("0.75"): "2", D("0.5"): "3", D("0"): "4"}


def block_get(code: str, name: str, kind: str = "") -> Block:
    block, _ = Block.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    return block


def take_part(year: Year, block: Block, code: str, name: str, **fields) -> Participation:
    unit, _ = Unit.objects.get_or_create(code=code, defaults={"name": name, "block": block})
    return Participation.objects.create(year=year, unit=unit, block=block, name=name, **fields)


def tree(year: Year, block: Block, nodes) -> dict[str, Criterion]:
    criteria: dict[str, Criterion] = {}
    for code, max_points, method, *kind in nodes:
        criteria[code] = Criterion.objects.create(
            year=year,
            block=block,
            code=code,
            parent=criteria.get(code.rpartition(".")[0]),
            name=f"Tiêu chí {code}",
            max_points=D(max_points),
            method=method,
            kind=kind[0] if kind else K.NORMAL,
            is_leaf=bool(method),
        )
    return criteria


def appraise(participation: Participation, criteria: dict[str, Criterion], **points) -> None:
    for code, value in points.items():
        Score.objects.create(
            participation=participation,
            criterion=criteria[code.replace("_", ".")],
            self_score=D(value),
            appraised_score=D(value),
        )


def build_2022() -> Year:
    year = Year.objects.create(year=2022, name="Chỉ số CCHC năm 2022", province="Hải Dương")
    so = block_get("A", "Sở, ban, ngành tỉnh", "so")
    huyen = block_get("B", "UBND cấp huyện")
    for block, units in [
        (
            so,
            [
                ("A1", "Sở Giao thông vận tải", "10", "9.5"),
                ("A11", "Sở Kế hoạch và Đầu tư", "9", "10"),
                ("A6", "Sở Tài chính", "8", "9"),
                ("A2", "Sở Nội vụ", "7", "7"),
            ],
        ),
        (
            huyen,
            [("B2", "UBND huyện Kim Thành", "9", "9"), ("B1", "UBND huyện Nam Sách", "6", "8")],
        ),
    ]:
        criteria = tree(year, block, TREE_2022)
        for code, name, first, second in units:
            appraise(take_part(year, block, code, name), criteria, **{"1_1": first, "2_1": second})
    results_compute(year=year)
    return year


class Survey:
    """The 2025 survey: groups, a scale, and one ballot per answer."""

    def __init__(self, year: Year):
        self.year = year
        self.citizens = RespondentGroup.objects.create(year=year, code="nguoi_dan", name="Dân")
        self.organisations = RespondentGroup.objects.create(year=year, code="to_chuc", name="Tổ")
        self.scale = Scale.objects.create(year=year, code="muc4")
        self.options = {
            code: ScaleOption.objects.create(
                scale=self.scale,
                code=code,
                label=f"Mức {code}",
                coefficient=D(coefficient),
                counted=code != "9",
                position=position,
            )
            for position, (code, coefficient) in enumerate(OPTIONS.items())
        }
        self.ballots = 0

    def questions(self, criteria: dict[str, Criterion]) -> None:
        sipas = Question.objects.create(criterion=criteria["2.1"], scale=self.scale, sipas=True)
        sipas.groups.add(self.citizens)
        organisations = Question.objects.create(criterion=criteria["2.2"], scale=self.scale)
        organisations.groups.add(self.organisations)

    def answer(self, participation, criterion, *coefficients, option=None) -> None:
        group = self.citizens if criterion.code == "2.1" else self.organisations
        for coefficient in coefficients:
            self.ballots += 1
            ballot = Ballot.objects.create(year=self.year, code=f"P{self.ballots}", group=group)
            Answer.objects.create(
                ballot=ballot,
                participation=participation,
                criterion=criterion,
                option=self.options[option or COEFFICIENT_OPTION[D(coefficient)]],
            )


# unit → (block, name, kind, predecessors, area-1 points, SIPAS answers, 2.2 answers)
UNITS_2025 = {
    "S1": ("S", "Sở Tài chính", "", "2022:A6;2022:A11", ("8", "2", "1", "0"), "1 1 1 .75", "1 .5"),
    "A2": ("S", "Sở Nội vụ", "", "", ("7", "1", "0.5", "1"), ".75 .75 .5 .5", ".5"),
    "S3": ("S", "Sở Ngoại vụ", "", "-", ("8", "2", "0", "0.5"), "1 1", "1"),
    "S4": ("S", "Sở Xây dựng", "", "2022:A1", ("8", "2", "1", None), "", "1"),
    "P1": ("P", "Phường Hồng Bàng", "", "", ("8", "2", "0", "0"), "1 .75", "1"),
    "B1": ("P", "Phường Nam Sách", "", "", ("6", "1", None, None), ".5 .5", ""),
    "X1": ("X", "Đặc khu Cát Hải", "dac_khu", "-", ("8", "2", "0.5", "0"), "1 1 .75", ".75"),
    "X2": ("X", "Xã Quyết Thắng", "", "2022:B2", ("7", "2", "0", "0"), ".75 .75", ".5"),
}


class Year2025:
    """Hải Phòng 2025: its blocks, their trees and its survey; units join with `join`."""

    def __init__(self):
        self.year = Year.objects.create(
            year=2025, name="Chỉ số CCHC năm 2025", province="Hải Phòng"
        )
        self.blocks = {
            "S": block_get("S", "Sở, ban, ngành", "so"),
            "P": block_get("P", "Phường", "phuong"),
            "X": block_get("X", "Xã, đặc khu", "xa"),
        }
        BlockRules.objects.create(
            year=self.year,
            block=self.blocks["S"],
            bands="93;80;72,5",
            band_names="Xuất sắc;Tốt;Khá",
        )
        self.survey = Survey(self.year)
        self.criteria = {}
        for code, block in self.blocks.items():
            self.criteria[code] = tree(self.year, block, TREE_2025)
            self.survey.questions(self.criteria[code])

    def join(self, units: dict) -> None:
        for code, (block, name, kind, predecessors, area_1, sipas, others) in units.items():
            participation = take_part(
                self.year, self.blocks[block], code, name, kind=kind, predecessors=predecessors
            )
            leaves = self.criteria[block]
            points = dict(zip(["1_1", "1_2", "1_3", "1_4"], area_1, strict=True))
            appraise(participation, leaves, **{k: v for k, v in points.items() if v is not None})
            self.survey.answer(participation, leaves["2.1"], *sipas.split())
            self.survey.answer(participation, leaves["2.2"], *others.split())


def build_2025() -> Year:
    built = Year2025()
    built.join(UNITS_2025)
    # A "Không biết" answer about Sở Nội vụ: not counted, in no index.
    a2 = Participation.objects.get(year=built.year, unit__code="A2")
    built.survey.answer(a2, built.criteria["S"]["2.1"], "0", option="9")
    return built.year


@pytest.fixture
def history(db) -> Year:
    return build_2022()


@pytest.fixture
def computed(history) -> Year:
    year = build_2025()
    results_compute(year=year)
    return year


def half_up(value: Decimal, places: int = 2) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def interval(*coefficients: str) -> list[str]:
    """The textbook 95 % interval of a mean of one answer per ballot, in percent, clipped."""
    values = [D(c) for c in coefficients]
    n = len(values)
    mean = sum(values) / n
    squares = sum((v - mean) ** 2 for v in values)
    error = (squares / (n * (n - 1))).sqrt() * 100
    low = max(D(0), mean * 100 - D("1.96") * error)
    high = min(D(100), mean * 100 + D("1.96") * error)
    return [half_up(low), half_up(high)]


def near(value: Decimal | None) -> Decimal | None:
    """To 9 decimals: SQLite keeps about 15 significant digits of a stored figure."""
    return None if value is None else value.quantize(D("1e-9"), rounding=ROUND_HALF_UP)


def unit_row(code: str) -> UnitResult:
    return UnitResult.objects.get(computation__year__year=2025, participation__unit__code=code)


# What is stored


def test_bonus_and_deduction_leaves_move_their_area_clamped_to_its_maximum(computed):
    area_1 = {
        code: (result.score, result.max_points)
        for code, result in (
            (a.unit_result.participation.unit.code, a)
            for a in AreaResult.objects.filter(
                unit_result__computation__year=computed, criterion__code="1"
            ).select_related("unit_result__participation__unit")
        )
    }

    assert area_1 == {
        "S1": (D(10), D(10)),  # 8 + 2 + 1 bonus = 11, clamped to 10
        "A2": (D("7.5"), D(10)),  # 7 + 1 + 0,5 − 1
        "S3": (D("9.5"), D(10)),  # 8 + 2 − 0,5
        "S4": (D(10), D(10)),  # 8 + 2 + 1, clamped; no deduction recorded
        "P1": (D(10), D(10)),
        "B1": (D(7), D(10)),  # neither bonus nor deduction recorded: nothing moves
        "X1": (D(10), D(10)),  # 10,5 clamped
        "X2": (D(9), D(10)),
    }


def test_every_unit_result_holds_its_band_name_changes_and_satisfaction(computed):
    rows = {
        r.participation.unit.code: r
        for r in UnitResult.objects.filter(computation__year=computed).select_related(
            "participation__unit"
        )
    }

    # Block S: S3 97,5 %, S1 (10 + 4,6875 + 3,75) / 20 = 92,1875 %, S4 (10 + 0 + 5) / 20 =
    # 75 %, A2 (7,5 + 3,125 + 2,5) / 20 = 65,625 %.
    assert {c: (r.index, r.rank, r.band, r.band_name) for c, r in rows.items() if c[0] in "SA"} == {
        "S3": (D("97.5"), 1, D(93), "Xuất sắc"),
        "S1": (D("92.1875"), 2, D(80), "Tốt"),
        "S4": (D(75), 3, D("72.5"), "Khá"),
        "A2": (D("65.625"), 4, D(0), ""),
    }
    # S1 against the mean of A6 and A11 (85, 95): no rank change with two predecessors.
    s1 = rows["S1"]
    assert (s1.rank_change, s1.index_change) == (None, D("2.1875"))
    assert s1.predecessors == [
        {"year": 2022, "code": "A6", "name": "Sở Tài chính"},
        {"year": 2022, "code": "A11", "name": "Sở Kế hoạch và Đầu tư"},
    ]
    # A2 names nothing: the same code in 2022, of the same kind, rank 4 then and now.
    a2 = rows["A2"]
    assert (a2.rank_change, a2.index_change) == (0, D("-4.375"))
    assert a2.predecessors == [{"year": 2022, "code": "A2", "name": "Sở Nội vụ"}]
    # S4 came from Sở Giao thông vận tải (rank 1, 97,5 %).
    s4 = rows["S4"]
    assert (s4.rank_change, s4.index_change) == (1 - 3, D("-22.5"))
    # `-` and a code never seen before: new.
    for code in ("S3", "P1", "X1"):
        assert (rows[code].rank_change, rows[code].index_change, rows[code].predecessors) == (
            None,
            None,
            [],
        )
    # B1 is now a phường: never compared with the 2022 district of that code.
    assert (rows["B1"].rank_change, rows["B1"].index_change, rows["B1"].predecessors) == (
        None,
        None,
        [],
    )
    # X2, a xã, from a district: its index changes, its rank is not comparable.
    x2 = rows["X2"]
    assert (x2.index, x2.rank_change, x2.index_change) == (D("76.25"), None, D("-13.75"))
    assert x2.predecessors == [{"year": 2022, "code": "B2", "name": "UBND huyện Kim Thành"}]


def test_area_changes_are_against_the_predecessors_areas(computed):
    changes = {
        (a.unit_result.participation.unit.code, a.criterion.code): a.change
        for a in AreaResult.objects.filter(unit_result__computation__year=computed).select_related(
            "unit_result__participation__unit", "criterion"
        )
    }

    assert changes == {
        # S1: 100 − (80 + 90) / 2; 84,375 − (90 + 100) / 2
        ("S1", "1"): D(15),
        ("S1", "2"): D("-10.625"),
        ("A2", "1"): D(5),  # 75 − 70
        ("A2", "2"): D("-13.75"),  # 56,25 − 70
        ("S4", "1"): D(0),  # 100 − 100
        ("S4", "2"): D(-45),  # 50 − 95
        ("X2", "1"): D(0),  # 90 − 90
        ("X2", "2"): D("-27.5"),  # 62,5 − 90
    } | {(code, area): None for code in ("S3", "P1", "B1", "X1") for area in ("1", "2")}


def test_satisfaction_per_unit_ranked_per_block_and_pooled(computed):
    rows = {
        r.participation.unit.code: (near(r.sipas_index), r.sipas_rank, r.sipas_counted)
        for r in UnitResult.objects.filter(computation__year=computed).select_related(
            "participation__unit"
        )
    }
    assert rows == {
        "S3": (D(100), 1, 2),
        "S1": (D("93.75"), 2, 4),  # (1 + 1 + 1 + 0,75) / 4
        "A2": (D("62.5"), 3, 4),  # the "Không biết" answer is not counted
        "S4": (None, None, None),  # no SIPAS answer
        "P1": (D("87.5"), 1, 2),
        "B1": (D(50), 2, 2),
        "X1": (near(D("275") / 3), 1, 3),  # 2,75 / 3
        "X2": (D(75), 2, 2),
    }
    pooled = {
        (r.block.code if r.block else None): (near(r.sipas_index), r.sipas_counted)
        for r in BlockResult.objects.filter(computation__year=computed).select_related("block")
    }
    assert pooled == {
        "S": (D("82.5"), 10),  # (3,75 + 2,5 + 2) / 10
        "P": (D("68.75"), 4),  # (1,75 + 1) / 4
        "X": (D(85), 5),  # (2,75 + 1,5) / 5
        None: (near(D("1525") / 19), 19),  # (8,25 + 2,75 + 4,25) / 19
    }
    s_block = BlockResult.objects.get(computation__year=computed, block__code="S")
    assert [half_up(s_block.sipas_low), half_up(s_block.sipas_high)] == interval(
        *"1 1 1 .75 .75 .75 .5 .5 1 1".split()
    )


# What is served


def expected_units() -> dict[str, dict]:
    """Block code → its units in the results document, each figure counted by hand."""

    # fmt: off
    def unit(code, name, total, index, rank, rank_change, band, band_name, classification,
             index_change, predecessors, sipas, areas, warnings=()):
        return {
            "code": code,
            "name": name,
            "total": total,
            "max": "20.000",
            "index": index,
            "rank": rank,
            "rank_change": rank_change,
            "band": band,
            "band_name": band_name,
            "classification": classification,
            "self_review": [],
            "index_change": index_change,
            "predecessors": [
                {"year": year, "code": c, "name": n} for year, c, n in predecessors
            ],
            "sipas": sipas,
            "areas": [
                {"code": "1", "score": areas[0][0], "max": "10.000", "index": areas[0][1],
                 "change": areas[0][2]},
                {"code": "2", "score": areas[1][0], "max": "10.000", "index": areas[1][1],
                 "change": areas[1][2]},
            ],
            "warnings": list(warnings),
        }

    def sipas(index, rank, counted, *answers):
        return {"index": index, "rank": rank, "counted": counted, "ci95": interval(*answers)}

    no_sipas = "2.1: không có phiếu điều tra hợp lệ (tính 0 điểm)"
    no_organisations = "2.2: không có phiếu điều tra hợp lệ (tính 0 điểm)"
    return {
        "S": [
            unit("S3", "Sở Ngoại vụ", "19.500", "97.50", 1, None, 93, "Xuất sắc", "xuat_sac",
                 None, [], sipas("100.00", 1, 2, "1", "1"),
                 [("9.500", "95.00", None), ("10.000", "100.00", None)]),
            unit("S1", "Sở Tài chính", "18.438", "92.19", 2, None, 80, "Tốt", "xuat_sac",
                 "2.19", [(2022, "A6", "Sở Tài chính"), (2022, "A11", "Sở Kế hoạch và Đầu tư")],
                 sipas("93.75", 2, 4, "1", "1", "1", ".75"),
                 [("10.000", "100.00", "15.00"), ("8.438", "84.38", "-10.63")]),
            unit("S4", "Sở Xây dựng", "15.000", "75.00", 3, -2, 72.5, "Khá", "hoan_thanh",
                 "-22.50", [(2022, "A1", "Sở Giao thông vận tải")], None,
                 [("10.000", "100.00", "0.00"), ("5.000", "50.00", "-45.00")], [no_sipas]),
            unit("A2", "Sở Nội vụ", "13.125", "65.63", 4, 0, 0, None, "hoan_thanh",
                 "-4.38", [(2022, "A2", "Sở Nội vụ")], sipas("62.50", 3, 4, ".75", ".75", ".5", ".5"),
                 [("7.500", "75.00", "5.00"), ("5.625", "56.25", "-13.75")]),
        ],
        "P": [
            unit("P1", "Phường Hồng Bàng", "19.375", "96.88", 1, None, 90, None, "xuat_sac",
                 None, [], sipas("87.50", 1, 2, "1", ".75"),
                 [("10.000", "100.00", None), ("9.375", "93.75", None)]),
            unit("B1", "Phường Nam Sách", "9.500", "47.50", 2, None, 0, None, "khong_hoan_thanh",
                 None, [], sipas("50.00", 2, 2, ".5", ".5"),
                 [("7.000", "70.00", None), ("2.500", "25.00", None)], [no_organisations]),
        ],
        "X": [
            unit("X1", "Đặc khu Cát Hải", "18.333", "91.67", 1, None, 90, None, "xuat_sac",
                 None, [], sipas("91.67", 1, 3, "1", "1", ".75"),
                 [("10.000", "100.00", None), ("8.333", "83.33", None)]),
            unit("X2", "Xã Quyết Thắng", "15.250", "76.25", 2, None, 70, None, "hoan_thanh",
                 "-13.75", [(2022, "B2", "UBND huyện Kim Thành")],
                 sipas("75.00", 2, 2, ".75", ".75"),
                 [("9.000", "90.00", "0.00"), ("6.250", "62.50", "-27.50")]),
        ],
    }
    # fmt: on


EXPECTED_BLOCKS = [
    ("S", "Sở, ban, ngành", "82.50"),
    ("P", "Phường", "68.75"),
    ("X", "Xã, đặc khu", "85.00"),
]


def expected_document() -> dict:
    units = expected_units()
    return {
        "year": 2025,
        "status": "draft",
        "published_on": None,
        "revision": 1,
        "sipas_index": "80.26",  # 15,25 / 19 answers
        "blocks": [
            {"code": code, "name": name, "sipas_index": index, "units": units[code]}
            for code, name, index in sorted(EXPECTED_BLOCKS)
        ],
    }


def test_the_results_api_serves_every_new_field_as_counted_by_hand(client, computed):
    client.force_login(member("noivu", Membership.Role.HOME_AFFAIRS))

    response = client.get("/api/years/2025/results")

    assert response.status_code == 200
    document = response.json()
    assert document == expected_document()
    # INTERFACES §4: a decimal threshold is a JSON number as configured.
    assert b'"band": 72.5,' in response.content


def test_export_results_writes_the_same_document(computed, tmp_path):
    out = tmp_path / "results.json"
    stdout = io.StringIO()

    call_command("export_results", "--year", "2025", "--out", str(out), stdout=stdout)

    assert json.loads(out.read_text(encoding="utf-8")) == expected_document()
    assert stdout.getvalue().strip() == f"Đã ghi {out} (8 đơn vị)."


def test_computing_again_replaces_the_block_results(computed):
    results_compute(year=computed)

    assert BlockResult.objects.filter(computation__year=computed).count() == 4
    assert Computation.objects.filter(year=computed).count() == 1


def test_the_fingerprint_follows_the_lineage_and_the_sipas_questions(computed):
    from appraisal.services.publication import results_are_current

    assert results_are_current(computed)

    Question.objects.filter(criterion__year=computed, criterion__block__code="P").update(
        sipas=False
    )
    assert not results_are_current(computed)
    results_compute(year=computed)
    assert results_are_current(computed)
    assert unit_row("P1").sipas_index is None

    Participation.objects.filter(year=computed, unit__code="S3").update(predecessors="2022:A2")
    assert not results_are_current(computed)
    results_compute(year=computed)
    assert (unit_row("S3").rank_change, unit_row("S3").index_change) == (4 - 1, D("27.5"))


# What is compared with


def test_a_published_year_is_compared_by_its_published_revision(history):
    """The history year is published (revision 1): its rows are what 2025 compares with,
    even after a working revision 2 holds other figures."""
    from django.utils import timezone

    from appraisal.services.corrections import correction_open

    Computation.objects.filter(year=history).update(
        published_at=timezone.now(),
        published_on=timezone.localdate(),
        documents_rendered_at=timezone.now(),
    )
    history.status = Year.Status.PUBLISHED
    history.save(update_fields=["status"])
    correction_open(year=history, reason="Sở Nội vụ khiếu nại điểm lĩnh vực 1 và 2.", by=None)
    Score.objects.filter(participation__year=history, participation__unit__code="A2").update(
        appraised_score=D(10)
    )
    results_compute(year=history)  # revision 2, not published: A2 at 100 %
    assert UnitResult.objects.get(
        computation__revision=2, participation__unit__code="A2"
    ).index == D(100)

    year = build_2025()
    results_compute(year=year)

    assert unit_row("A2").index_change == D("-4.375")  # against 70 %, revision 1's
    assert unit_row("A2").rank_change == 0


def test_a_named_predecessor_without_results_is_left_out_and_warned_of(history):
    year = build_2025()
    Participation.objects.filter(year=year, unit__code="S1").update(predecessors="2022:A6;2021:A99")

    results_compute(year=year)

    s1 = unit_row("S1")
    # Against A6 alone (85 %), and no rank change: one of the two is unknown.
    assert (s1.index_change, s1.rank_change) == (D("7.1875"), None)
    assert s1.predecessors == [{"year": 2022, "code": "A6", "name": "Sở Tài chính"}]
    assert s1.warnings == ["đơn vị tiền thân 2021:A99: không có kết quả đã tính, không so sánh"]


def test_old_years_without_kinds_still_compare_by_code(history):
    """2023 keeps 2022's district block with no kind: blank on both sides is one kind."""
    year = Year.objects.create(year=2023, name="Chỉ số CCHC năm 2023")
    block = Block.objects.get(code="B")
    criteria = tree(year, block, TREE_2022)
    for code, name, first, second in [
        ("B1", "UBND huyện Nam Sách", "10", "9"),
        ("B2", "UBND huyện Kim Thành", "5", "5"),
    ]:
        appraise(take_part(year, block, code, name), criteria, **{"1_1": first, "2_1": second})

    results_compute(year=year)

    rows = UnitResult.objects.filter(computation__year=year).order_by("participation__unit__code")
    assert [(r.participation.unit.code, r.rank, r.rank_change, r.index_change) for r in rows] == [
        ("B1", 1, 2 - 1, D(95) - D(70)),
        ("B2", 2, 1 - 2, D(50) - D(90)),
    ]


# Refusals


@pytest.mark.parametrize(
    "predecessors, words",
    [
        ("A6", "“A6” không đúng dạng NĂM:MÃ"),
        ("2025:S3", "phải thuộc một năm trước năm 2025"),
        ("2022:A6;-", "không đi cùng mã đơn vị khác"),
    ],
)
def test_a_malformed_lineage_refuses_the_compute_and_writes_nothing(history, predecessors, words):
    year = build_2025()
    Participation.objects.filter(year=year, unit__code="S1").update(predecessors=predecessors)

    with pytest.raises(ValidationError) as refused:
        results_compute(year=year)

    assert refused.value.messages[0].startswith("Đơn vị S1, đơn vị tiền thân: ")
    assert words in refused.value.messages[0]
    assert not Computation.objects.filter(year=year).exists()
    assert not BlockResult.objects.filter(computation__year=year).exists()


# Queries


def many_units(first: int, last: int) -> dict:
    """Xã of block X, each with a predecessor or none, a bonus and SIPAS answers."""
    return {
        f"X{n}": ("X", f"Xã số {n}", "", "2022:B2" if n % 2 else "", ("7", "2", "1", "0"),
                  ".75 1", ".5")
        for n in range(first, last + 1)
    }  # fmt: skip


def test_the_compute_does_not_query_per_unit(history, django_assert_max_num_queries):
    built = Year2025()
    built.join(many_units(1, 10))
    results_compute(year=built.year)  # the first compute creates the revision
    with django_assert_max_num_queries(100) as ten:
        results_compute(year=built.year)
    built.join(many_units(11, 30))

    with django_assert_max_num_queries(len(ten.captured_queries)):
        results_compute(year=built.year)

    assert UnitResult.objects.filter(computation__year=built.year).count() == 30
    assert AreaResult.objects.filter(unit_result__computation__year=built.year).count() == 60
