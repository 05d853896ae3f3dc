"""The admin's doors to the two-tier province's fields (DOMAIN §8): a participation's kind
and predecessors (checked as the workbook checks them), a year's province, a block's kind
and band names, a question's SIPAS mark; each change audited, none on a published year."""

import pytest

from criteria.models import BlockRules, Year
from criteria.rules import LineageError, format_lineage, parse_lineage
from kernel.models import AuditEvent
from surveys.models import Question, RespondentGroup, Scale
from tests.parindex.admin_pages import home_affairs_admin, posted
from tests.personas import Node, year_build

TREE = [Node("1", "10"), Node("1.1", "4", "evidence"), Node("1.2", "6", "survey")]


@pytest.fixture
def years(db):
    earlier = year_build(2022, units=["A18", "A1"], tree=TREE)
    current = year_build(2025, units=["A18"], tree=TREE)
    return earlier, current


def _participation_url(participation) -> str:
    return f"/quan-tri/criteria/participation/{participation.pk}/change/"


def _post_participation(client, participation, **changes):
    url = _participation_url(participation)
    return client.post(url, posted(client.get(url), **changes))


def test_a_participations_kind_and_predecessors_are_saved_normalised_and_audited(client, years):
    _earlier, current = years
    home_affairs_admin(client)
    participation = current.participations["A18"]

    response = _post_participation(
        client, participation, kind="phuong", predecessors=" 2022:A18 ; 2022:A1 "
    )

    assert response.status_code == 302
    participation.refresh_from_db()
    assert (participation.kind, participation.predecessors) == ("phuong", "2022:A18;2022:A1")
    event = AuditEvent.objects.get(action="admin_change")
    assert event.changes["predecessors"] == [None, "2022:A18;2022:A1"]
    assert event.changes["kind"] == [None, "phuong"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2022/A18", "“2022/A18” không đúng dạng NĂM:MÃ (ví dụ 2022:A6)"),
        ("2025:A1", "Đơn vị tiền thân “2025:A1” phải thuộc một năm trước năm 2025."),
        ("2026:A1", "Đơn vị tiền thân “2026:A1” phải thuộc một năm trước năm 2025."),
        ("2022:A1;2022:A1", "Đơn vị tiền thân “2022:A1” được ghi hai lần."),
        ("-;2022:A1", "“-” (không có đơn vị tiền thân) không đi cùng mã đơn vị khác."),
        ("2022:A99", "Đơn vị tiền thân “2022:A99”: năm 2022 không có đơn vị mã “A99”."),
    ],
)
def test_bad_predecessors_are_refused_in_vietnamese_and_nothing_saved(client, years, text, message):
    _earlier, current = years
    home_affairs_admin(client)
    participation = current.participations["A18"]

    response = _post_participation(client, participation, predecessors=text)

    assert response.status_code == 200
    assert message in response.content.decode()
    participation.refresh_from_db()
    assert participation.predecessors == ""
    assert not AuditEvent.objects.exists()


def test_a_predecessor_in_a_year_not_stored_is_accepted(client, years):
    _earlier, current = years
    home_affairs_admin(client)
    participation = current.participations["A18"]
    assert _post_participation(client, participation, predecessors="2021:X7").status_code == 302
    participation.refresh_from_db()
    assert participation.predecessors == "2021:X7"


def test_an_unknown_kind_is_refused(client, years):
    _earlier, current = years
    home_affairs_admin(client)
    participation = current.participations["A18"]
    response = _post_participation(client, participation, kind="thon")
    assert response.status_code == 200
    assert "thon" in response.content.decode()
    participation.refresh_from_db()
    assert participation.kind == ""


def test_a_published_years_predecessors_are_not_changed(client, years):
    earlier, _current = years
    Year.objects.filter(pk=earlier.year.pk).update(status=Year.Status.PUBLISHED)
    home_affairs_admin(client)
    participation = earlier.participations["A18"]
    response = client.post(_participation_url(participation), {"predecessors": "-"})
    assert response.status_code == 403
    participation.refresh_from_db()
    assert participation.predecessors == ""


def _year_post(client, built, province="", **rules):
    url = f"/quan-tri/criteria/year/{built.year.pk}/change/"
    data = posted(client.get(url), province=province, **{"rules-TOTAL_FORMS": "1"})
    data |= {
        "rules-0-block": str(built.blocks["A"].pk),
        "rules-0-bands": "93;80;72,5",
        "rules-0-xuat_sac": "90;80",
        "rules-0-tot": "80;70",
        "rules-0-hoan_thanh": "65;50",
        "rules-0-self_review": "1:75",
        **{f"rules-0-{key}": value for key, value in rules.items()},
    }
    return client.post(url, data)


def test_a_years_province_and_band_names_are_saved_and_audited(client, years):
    _earlier, current = years
    home_affairs_admin(client)
    response = _year_post(client, current, province="Hải Phòng", band_names="Xuất sắc; Tốt ;Khá")
    assert response.status_code == 302

    current.year.refresh_from_db()
    assert current.year.province == "Hải Phòng"
    rules = BlockRules.objects.get(year=current.year)
    assert (rules.bands, rules.band_names) == ("93;80;72,5", "Xuất sắc;Tốt;Khá")
    changes = [event.changes for event in AuditEvent.objects.order_by("pk")]
    assert any(c.get("band_names") == [None, "Xuất sắc;Tốt;Khá"] for c in changes)
    assert any(c.get("province") == [None, "Hải Phòng"] for c in changes)


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (
            "Xuất sắc;Tốt",
            "Tên nhóm: có 2 tên nhóm nhưng 3 ngưỡng nhóm (93;80;72,5): mỗi ngưỡng một tên",
        ),
        ("Xuất sắc;;Khá", "Tên nhóm: tên nhóm không được để trống giữa hai dấu “;”"),
        ("Tốt;Tốt;Khá", "Tên nhóm: các tên nhóm phải khác nhau."),
    ],
)
def test_band_names_that_do_not_fit_the_thresholds_are_refused(client, years, names, message):
    _earlier, current = years
    home_affairs_admin(client)
    response = _year_post(client, current, band_names=names)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BlockRules.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_blocks_kind_is_saved_and_frozen_by_a_published_year(client, years):
    earlier, _current = years
    home_affairs_admin(client)
    block = earlier.blocks["A"]
    url = f"/quan-tri/units/block/{block.pk}/change/"
    assert client.post(url, posted(client.get(url), kind="so")).status_code == 302
    block.refresh_from_db()
    assert block.kind == "so"
    assert AuditEvent.objects.get(action="admin_change").changes == {"kind": [None, "so"]}

    Year.objects.filter(pk=earlier.year.pk).update(status=Year.Status.PUBLISHED)
    client.post(url, posted(client.get(url)) | {"kind": "xa"})
    block.refresh_from_db()
    assert block.kind == "so"


def test_a_questions_sipas_mark_is_saved_and_audited(client, years):
    _earlier, current = years
    home_affairs_admin(client)
    group = RespondentGroup.objects.create(year=current.year, code="nguoi_dan", name="Người dân")
    question = Question.objects.create(
        criterion=current.leaf("1.2"), scale=Scale.objects.create(year=current.year, code="m4")
    )
    question.groups.set([group])
    url = f"/quan-tri/surveys/question/{question.pk}/change/"
    assert client.post(url, posted(client.get(url), sipas="on")).status_code == 302
    question.refresh_from_db()
    assert question.sipas
    assert AuditEvent.objects.get(action="admin_change").changes == {"sipas": [False, True]}


@pytest.mark.parametrize(
    "text", ["", "-", "2022:A6", " 2022:A6 ; 2021:B2 ", "2022-A6", "2025:A1", "-;2022:A1", ";"]
)
def test_the_admins_notation_is_the_engines(text):
    """criteria.rules reads `predecessors` for the admin (which may not import the engine);
    appraisal.lineage reads it for the engine: one notation, the same answers and messages."""
    from appraisal.lineage import LineageError as EngineError
    from appraisal.lineage import format_lineage as engine_format
    from appraisal.lineage import parse_lineage as engine_parse

    def outcome(parse, format_, error_class):
        try:
            return format_(parse(text, year=2025))
        except error_class as error:
            return f"error: {error}"

    assert outcome(parse_lineage, format_lineage, LineageError) == outcome(
        engine_parse, engine_format, EngineError
    )
