"""The demo reproduces Hải Phòng's 2025 record (DOMAIN §8), every fact of its table and
SIPAS paragraph, from the stored results of the compute job over its own scores and
ballots; keeps Hải Dương's 2021–2022 as the history of a merged province; and has 2026
in self-assessment around the day it is loaded, with logins on Hải Phòng's units.

The facts are written here by unit name, as the sources state them.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from appraisal import sipas
from appraisal.models import BlockResult, UnitResult
from appraisal.revisions import published_computation, working_computation
from criteria.models import BlockRules, Criterion, Participation, Year
from demo.users import DEMO_PASSWORD
from evidence.models import Score
from surveys.models import Answer, Question
from units.models import Block, Membership, Unit

pytestmark = pytest.mark.django_db


def two(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"))


def nine(value: Decimal) -> Decimal:
    """Nine decimals: SQLite keeps a decimal column as a float (15 significant digits)."""
    return value.quantize(Decimal("1e-9"))


def short(name: str) -> str:
    for prefix in ("UBND phường ", "UBND xã ", "UBND đặc khu "):
        name = name.removeprefix(prefix)
    return name


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))
        year = Year.objects.get(year=2025)
        computation = published_computation(year) or working_computation(year)
        results = list(
            UnitResult.objects.filter(computation=computation)
            .select_related("participation__block", "participation__unit")
            .order_by("participation__block__code", "rank", "participation__unit__code")
        )
        blocks = defaultdict(list)
        for result in results:
            blocks[result.participation.block.code].append(result)
        pooled = {
            (row.block.code if row.block else None): row
            for row in BlockResult.objects.filter(computation=computation).select_related("block")
        }
        yield {"year": year, "blocks": blocks, "pooled": pooled}
        from exchange.workbook import year_data_delete

        for each in Year.objects.all():
            year_data_delete(year=each)
        Membership.objects.all().delete()
        get_user_model().objects.all().delete()
        Unit.objects.all().delete()
        Block.objects.all().delete()


def table(city, block: str) -> list[tuple[str, str]]:
    """(short name, index to two decimals) by rank."""
    return [(short(r.participation.name), two(r.index)) for r in city["blocks"][block]]


def by_sipas(city, block: str) -> list[tuple[str, str]]:
    ranked = sorted(
        (r for r in city["blocks"][block] if r.sipas_rank is not None),
        key=lambda r: r.sipas_rank,
    )
    return [(short(r.participation.name), two(r.sipas_index)) for r in ranked]


def test_2025_is_hai_phong_published_on_9_january_2026_with_three_blocks(city):
    year = city["year"]
    assert year.is_published and year.published_on == date(2026, 1, 9)
    assert year.province == "Hải Phòng"
    assert dict(Year.objects.filter(year__in=(2021, 2022)).values_list("year", "province")) == {
        2021: "Hải Dương",
        2022: "Hải Dương",
    }
    assert {code: len(rows) for code, rows in city["blocks"].items()} == {
        "S": 14,
        "P": 45,
        "X": 68,
    }
    for rows in city["blocks"].values():  # no ties: a table's position is its rank
        assert [r.rank for r in rows] == list(range(1, len(rows) + 1))


def test_departments_ranks_and_indices_as_published(city):
    departments = table(city, "S")
    assert departments[:5] == [
        ("Thanh tra thành phố", "94.71"),
        ("Văn phòng UBND thành phố", "94.40"),
        ("Sở Tài chính", "92.99"),
        ("Sở Ngoại vụ", "92.90"),
        ("Sở Nội vụ", "92.71"),
    ]
    assert departments[-1] == ("Ban Quản lý khu kinh tế Hải Phòng", "88.99")
    assert city["blocks"]["S"][-1].rank == 14


def test_wards_ranks_indices_and_exactly_ten_excellent(city):
    wards = table(city, "P")
    assert wards[:3] == [("Hồng Bàng", "95.80"), ("Hải An", "95.77"), ("Hồng An", "95.57")]
    assert [name for name, _ in wards[3:5]] == ["Ngô Quyền", "Lê Chân"]
    assert wards[-1] == ("Bắc An Phụ", "76.26")
    assert city["blocks"]["P"][-1].rank == 45
    at_93 = [r for r in city["blocks"]["P"] if r.index >= 93]
    excellent = [r for r in city["blocks"]["P"] if r.band_name == "Xuất sắc"]
    assert len(at_93) == 10 and excellent == at_93
    assert [r.rank for r in at_93] == list(range(1, 11))


def test_communes_and_special_zone_ranks_and_indices_as_published(city):
    communes = table(city, "X")
    assert communes[:3] == [("Cát Hải", "94.15"), ("Quyết Thắng", "93.40"), ("An Lão", "92.94")]
    assert [name for name, _ in communes[3:5]] == ["Gia Lộc", "Phú Thái"]
    assert communes[-1] == ("Vĩnh Am", "73.37")
    assert city["blocks"]["X"][-1].rank == 68
    first = city["blocks"]["X"][0].participation
    assert first.name == "UBND đặc khu Cát Hải" and first.kind == "dac_khu"
    assert first.head_title == "Chủ tịch UBND đặc khu Cát Hải"


def test_bands_are_named_and_told_apart_by_position(city):
    for code in "SPX":
        rules = BlockRules.objects.get(year=city["year"], block__code=code)
        assert (rules.bands, rules.band_names) == ("93;80;72,5", "Xuất sắc;Tốt;Khá")
    vinh_am = city["blocks"]["X"][-1]
    assert vinh_am.band_name == "Khá" and vinh_am.band == Decimal("72.5")


def test_heads_are_classified_in_all_three_blocks(city):
    for code in "SPX":
        classes = {r.classification for r in city["blocks"][code]}
        assert classes and "" not in classes, code
        assert "xuat_sac" in classes, code


def test_sipas_city_and_block_indices_as_published(city):
    pooled = city["pooled"]
    assert two(pooled[None].sipas_index) == "92.67"
    assert {code: two(pooled[code].sipas_index) for code in "SPX"} == {
        "S": "93.95",
        "P": "92.26",
        "X": "91.87",
    }
    assert pooled[None].sipas_counted == sum(pooled[code].sipas_counted for code in "SPX")


def test_sipas_firsts_of_each_block_and_order_of_the_first_five_departments(city):
    departments = by_sipas(city, "S")
    assert departments[0] == ("Sở Công thương", "96.86")
    assert [name for name, _ in departments[:5]] == [
        "Sở Công thương",
        "Văn phòng UBND thành phố",
        "Sở Giáo dục và Đào tạo",
        "Sở Nội vụ",
        "Sở Xây dựng",
    ]
    wards = by_sipas(city, "P")
    assert wards[0] == ("Hồng Bàng", "98.30") and wards[1][0] == "Ngô Quyền"
    assert by_sipas(city, "X")[0] == ("Khúc Thừa Dụ", "97.98")
    assert all(r.sipas_rank for rows in city["blocks"].values() for r in rows)


def test_sipas_stored_figures_are_the_engines_over_the_stored_ballots(city):
    """Recomputed here from the answers to the SIPAS questions with appraisal/sipas.py."""
    tallies = defaultdict(lambda: [Decimal(0), 0])
    groups = {}
    rows = Answer.objects.filter(
        ballot__year=city["year"], criterion__question__sipas=True
    ).values_list(
        "ballot_id",
        "ballot__group_id",
        "participation__unit__code",
        "option__coefficient",
        "option__counted",
    )
    for ballot, group, code, coefficient, counted in rows:
        groups[ballot] = group
        if counted:
            tallies[(code, ballot)][0] += Decimal(coefficient)
            tallies[(code, ballot)][1] += 1
    inputs = defaultdict(list)
    for (code, ballot), (total, counted) in tallies.items():
        inputs[code].append(sipas.BallotTally(ballot, groups[ballot], total, counted))
    codes = {
        block: [r.participation.unit.code for r in rows] for block, rows in city["blocks"].items()
    }
    year = sipas.sipas_year(
        {
            block: [sipas.SipasInput(code, tuple(inputs[code])) for code in block_codes]
            for block, block_codes in codes.items()
        }
    )
    assert two(year.pooled.index) == "92.67"
    stored = {
        r.participation.unit.code: (nine(r.sipas_index), r.sipas_rank, r.sipas_counted)
        for rows in city["blocks"].values()
        for r in rows
    }
    for block in year.blocks:
        for unit in block.units:
            assert stored[unit.code] == (
                nine(unit.sipas.index),
                unit.rank,
                unit.sipas.counted,
            )


def test_merged_departments_name_their_hai_duong_predecessors(city):
    lineage = dict(
        Participation.objects.filter(year=city["year"], block__code="S").values_list(
            "name", "predecessors"
        )
    )
    assert lineage["Sở Tài chính"] == "2022:A13;2022:A10"  # + Kế hoạch và Đầu tư
    assert lineage["Sở Xây dựng"] == "2022:A6;2022:A1"  # + Giao thông vận tải
    assert lineage["Sở Khoa học và Công nghệ"] == "2022:A3;2022:A16"  # + TT&TT
    assert lineage["Sở Nông nghiệp và Môi trường"] == "2022:A11;2022:A12"  # NN&PTNT + TN&MT
    assert lineage["Sở Nội vụ"] == "2022:A2;2022:A14"  # + LĐ-TB&XH
    assert lineage["Sở Ngoại vụ"] == "-"
    hai_duong = dict(
        Participation.objects.filter(year__year=2022).values_list("unit__code", "name")
    )
    assert (hai_duong["A13"], hai_duong["A10"]) == ("Sở Tài chính", "Sở Kế hoạch và Đầu tư")
    assert (hai_duong["A2"], hai_duong["A14"]) == (
        "Sở Nội vụ",
        "Sở Lao động - Thương binh và Xã hội",
    )
    locals_ = Participation.objects.filter(year=city["year"]).exclude(block__code="S")
    assert set(locals_.values_list("predecessors", flat=True)) == {"-"}


def test_units_have_real_distinct_names_and_their_kinds(city):
    participations = Participation.objects.filter(year=city["year"])
    names = list(participations.values_list("name", flat=True))
    assert len(names) == len(set(names)) == 127
    kinds = defaultdict(set)
    for block, kind in participations.values_list("block__code", "kind"):
        kinds[block].add(kind)
    assert dict(kinds) == {"S": {"so"}, "P": {"phuong"}, "X": {"xa", "dac_khu"}}
    ward = participations.get(name="UBND phường Hồng Bàng")
    assert ward.head_title == "Chủ tịch UBND phường Hồng Bàng"


def test_commune_criteria_set_totals_100_with_survey_bonus_deduction_and_measured_leaves(city):
    criteria = Criterion.objects.filter(year=city["year"], block__code="X")
    areas = criteria.filter(parent__isnull=True)
    assert sum(areas.values_list("max_points", flat=True)) == 100
    leaves = criteria.filter(is_leaf=True)
    survey = leaves.filter(method=Criterion.Method.SURVEY)
    assert sum(survey.values_list("max_points", flat=True)) == 19
    assert leaves.filter(kind=Criterion.Kind.BONUS).count() == 1
    assert leaves.filter(kind=Criterion.Kind.DEDUCTION).count() == 1
    digitised = leaves.get(code="3.4.1")
    assert "số hóa" in digitised.name and digitised.rubric
    assert Question.objects.filter(criterion__in=survey, sipas=True).count() == 5
    bonus_units = UnitResult.objects.filter(
        participation__year=city["year"],
        participation__scores__criterion__kind=Criterion.Kind.BONUS,
    )
    assert bonus_units.exists()


def test_2026_is_in_self_assessment_around_today_with_units_part_way(city):
    year = Year.objects.get(year=2026)
    now = timezone.now()
    assert year.status == Year.Status.SELF_ASSESSMENT and year.province == "Hải Phòng"
    assert year.self_assessment_opens < now < year.self_assessment_closes
    assert now < year.appraisal_opens < year.appraisal_closes <= year.explanation_opens
    assert not Year.objects.filter(year=2023).exists()
    participations = Participation.objects.filter(year=year)
    assert participations.count() == 127
    # No lineage given: each unit compares with its own code in 2025.
    assert set(participations.values_list("predecessors", flat=True)) == {""}
    started = set(
        Score.objects.filter(participation__year=year, self_score__isnull=False).values_list(
            "participation__unit__code", flat=True
        )
    )
    assert 0 < len(started) < 127
    assert not Score.objects.filter(
        participation__year=year, appraised_score__isnull=False
    ).exists()


def test_demo_logins_work_on_hai_phong_units(city):
    units = dict(
        Membership.objects.filter(user__username__in=("canbo.yte", "noivu", "thamdinh.tuphap"))
        .select_related("unit__block")
        .values_list("user__username", "unit__name")
    )
    assert units == {
        "canbo.yte": "Sở Y tế",
        "noivu": "Sở Nội vụ",
        "thamdinh.tuphap": "Sở Tư pháp",
    }
    assert not Membership.objects.filter(unit__block__code__in=("A", "B")).exists()


@pytest.mark.parametrize(
    ("username", "unit", "role"),
    [
        ("canbo.phuong", "UBND phường Ngô Quyền", Membership.Role.UNIT_OFFICER),
        ("chutich.xa", "UBND xã An Lão", Membership.Role.UNIT_HEAD),
    ],
)
def test_ward_officer_and_commune_head_self_assess_2026(city, client, username, unit, role):
    membership = Membership.objects.get(user__username=username)
    assert (membership.unit.name, membership.role) == (unit, role)
    assert client.login(username=username, password=DEMO_PASSWORD)

    page = client.get("/tu-danh-gia/")

    assert page.status_code == 200
    text = page.content.decode()
    assert unit in text and "2026" in text
