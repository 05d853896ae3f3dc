"""A year archive carries the two-tier province's data (DOMAIN §8): the year's province,
the blocks' and units' kinds, predecessors, bonus leaves, SIPAS questions and band names
(in year.xlsx), and the stored results beyond results.json (the manifest's
`stored_results`): a loaded archive gives the same results document and the same stored
figures, a comparison with a year not held here is kept from the archive, and an archive
written before these fields still loads."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from appraisal.models import AreaResult, BlockResult, UnitResult
from appraisal.results import results_document, results_json
from appraisal.revisions import computed_revision
from appraisal.services.compute import results_compute
from criteria.models import BlockRules, Criterion, Participation, Year
from exchange.archive import MANIFEST, RESULTS
from exchange.archive.stored import stored_results_of
from exchange.workbook import year_data_delete
from surveys.models import Question
from tests.exchange.test_workbook_two_tier import history_2022, two_tier_sheets
from tests.exchange.workbook_factory import save_workbook, set_cell
from units.models import Block, Unit

CHANGE = Decimal("1.234567")
PREDECESSORS = [
    {"year": 2022, "code": "A1", "name": "Sở Giao thông vận tải"},
    {"year": 2022, "code": "A18", "name": "Sở Y tế"},
]


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def two_years(tmp_path, *, lineage: bool = True) -> Year:
    """2022 and Hải Phòng's 2025 (A1 formed from 2022's A1 and A18, unless `lineage` is
    False: then no unit names predecessors, as before DOMAIN §8), both computed."""
    history_2022(tmp_path)
    sheets = two_tier_sheets()
    if not lineage:
        for row in (2, 3):
            set_cell(sheets, "units", row, "predecessors", None)
    run("import_year", str(save_workbook(sheets, tmp_path / "2025.xlsx")))
    results_compute(year=Year.objects.get(year=2022))
    year = Year.objects.get(year=2025)
    results_compute(year=year)
    return year


def lineage_as_stored(year: Year) -> None:
    """A1's comparison with its two predecessors, as the engine stores it (full precision)."""
    result = UnitResult.objects.get(
        computation=computed_revision(year), participation__unit__code="A1"
    )
    result.rank_change, result.index_change, result.predecessors = None, CHANGE, PREDECESSORS
    result.save(update_fields=["rank_change", "index_change", "predecessors"])
    AreaResult.objects.filter(unit_result=result, criterion__code="1").update(
        change=Decimal("-0.005000")
    )


def snapshot(year: Year) -> dict:
    computation = computed_revision(year)
    return {
        "document": results_document(year),
        "stored": stored_results_of(computation),
        "blocks": sorted(
            BlockResult.objects.filter(computation=computation).values_list(
                "block__code", "sipas_index", "sipas_counted", "sipas_low", "sipas_high"
            ),
            key=str,
        ),
    }


def export(year: Year, path) -> dict:
    before = snapshot(year)
    run("export_archive", "--year", str(year.year), "--out", str(path))
    return before


def empty_database() -> None:
    for number in (2025, 2022):
        year = Year.objects.filter(year=number).first()
        if year is not None:
            year_data_delete(year=year)
    Unit.objects.all().delete()
    Block.objects.all().delete()


def manifest_of(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(MANIFEST))


def with_manifest(source, target, edit, results=None) -> object:
    """A copy of the archive whose manifest `edit` changed (it lists no checksum of itself);
    `results` edits results.json too, its checksum and size following."""
    with zipfile.ZipFile(source) as old:
        contents = {name: old.read(name) for name in old.namelist()}
    manifest = json.loads(contents[MANIFEST])
    edit(manifest)
    if results is not None:
        document = json.loads(contents[RESULTS])
        results(document)
        contents[RESULTS] = results_json(document)
        for member in manifest["members"]:
            if member["name"] == RESULTS:
                member["sha256"] = hashlib.sha256(contents[RESULTS]).hexdigest()
                member["size"] = len(contents[RESULTS])
    contents[MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode()
    with zipfile.ZipFile(target, "w") as new:
        for name, data in contents.items():
            new.writestr(zipfile.ZipInfo(name), data)
    return target


# INTERFACES §4's keys of DOMAIN §8: what a results document written before it lacks.
TWO_TIER_KEYS = {"index_change", "predecessors", "sipas", "sipas_index", "band_name", "change"}


def without_two_tier_keys(value):
    if isinstance(value, dict):
        return {k: without_two_tier_keys(v) for k, v in value.items() if k not in TWO_TIER_KEYS}
    if isinstance(value, list):
        return [without_two_tier_keys(item) for item in value]
    return value


def refused(path) -> list[str]:
    with pytest.raises(CommandError) as error:
        run("import_archive", str(path))
    return str(error.value).splitlines()


@pytest.mark.django_db
def test_the_manifest_carries_the_stored_results_at_full_precision(tmp_path, media):
    year = two_years(tmp_path)
    lineage_as_stored(year)
    export(year, tmp_path / "2025.zip")

    stored = manifest_of(tmp_path / "2025.zip")["stored_results"]
    assert set(stored["units"]) == {"A1", "A18"}
    a1 = stored["units"]["A1"]
    assert (a1["index_change"], a1["predecessors"]) == ("1.234567", PREDECESSORS)
    assert a1["areas"]["1"] == "-0.005000"
    assert {"band_name", "sipas_index", "sipas_rank", "sipas_counted"} <= a1.keys()
    assert isinstance(stored["blocks"], list)


@pytest.mark.django_db
def test_a_loaded_archive_has_the_same_year_results_and_stored_figures(tmp_path, media):
    year = two_years(tmp_path)
    lineage_as_stored(year)
    before = export(year, tmp_path / "2025.zip")
    empty_database()

    output = run("import_archive", str(tmp_path / "2025.zip"))

    year = Year.objects.get(year=2025)
    assert snapshot(year) == before
    # 2022 is not held here: A1's comparison with it is the archive's.
    assert "giữ theo kho lưu trữ" in output and "các đơn vị so sánh của 1 đơn vị" in output
    a1 = UnitResult.objects.get(computation=computed_revision(year), participation__unit__code="A1")
    assert (a1.index_change, a1.predecessors) == (CHANGE, PREDECESSORS)
    assert not any("2022:A1" in warning for warning in a1.warnings)
    # What year.xlsx carries.
    assert year.province == "Hải Phòng"
    assert Block.objects.get(code="A").kind == "so"
    units = dict(Participation.objects.filter(year=year).values_list("unit__code", "predecessors"))
    assert units == {"A1": "2022:A1;2022:A18", "A18": "-"}
    assert Participation.objects.get(year=year, unit__code="A18").kind == "xa"
    assert Criterion.objects.get(year=year, code="1.4").kind == Criterion.Kind.BONUS
    assert Question.objects.get(criterion__year=year, criterion__code="2.1.1").sipas
    assert BlockRules.objects.get(year=year).band_names == "Xuất sắc;Tốt;Khá"


@pytest.mark.django_db
def test_with_the_predecessors_year_held_the_comparisons_are_recomputed(tmp_path, media):
    year = two_years(tmp_path)
    before = export(year, tmp_path / "2025.zip")
    year_data_delete(year=year)

    output = run("import_archive", str(tmp_path / "2025.zip"))

    assert "giữ theo kho lưu trữ" not in output
    assert snapshot(Year.objects.get(year=2025)) == before


@pytest.mark.django_db
def test_a_comparison_the_held_history_does_not_reproduce_is_refused(tmp_path, media):
    year = two_years(tmp_path)
    export(year, tmp_path / "2025.zip")
    year_data_delete(year=year)

    def doctor(manifest):
        manifest["stored_results"]["units"]["A1"]["index_change"] = "9.000000"

    lines = refused(with_manifest(tmp_path / "2025.zip", tmp_path / "doctored.zip", doctor))

    assert lines[0] == "results.json: kết quả tính lại khác kết quả trong kho lưu trữ:"
    assert any(
        line.startswith("stored_results.units[A1].index_change: trong kho lưu trữ 9.000000")
        for line in lines
    )
    assert not Year.objects.filter(year=2025).exists()


@pytest.mark.django_db
def test_figures_that_follow_from_the_year_alone_must_be_reproduced(tmp_path, media):
    year = two_years(tmp_path)
    export(year, tmp_path / "2025.zip")
    empty_database()

    def doctor(manifest):
        manifest["stored_results"]["units"]["A18"]["band_name"] = "Xuất sắc giả"

    lines = refused(with_manifest(tmp_path / "2025.zip", tmp_path / "doctored.zip", doctor))

    assert any(
        line.startswith("stored_results.units[A18].band_name: trong kho lưu trữ Xuất sắc giả")
        for line in lines
    )
    assert not Year.objects.exists()


@pytest.mark.django_db
def test_an_archive_written_before_the_two_tier_fields_still_loads(tmp_path, media):
    year = two_years(tmp_path, lineage=False)
    before = export(year, tmp_path / "2025.zip")
    empty_database()

    def old_manifest(manifest):
        del manifest["stored_results"]

    def old_results(document):
        document.clear()
        document.update(without_two_tier_keys(before["document"]))

    old = with_manifest(tmp_path / "2025.zip", tmp_path / "old.zip", old_manifest, old_results)
    output = run("import_archive", str(old))

    assert "kết quả: tính lại 2 đơn vị, khớp results.json" in output
    loaded = results_document(Year.objects.get(year=2025))
    assert without_two_tier_keys(loaded) == without_two_tier_keys(before["document"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda s: s["units"]["A1"].update(index_change="abc"),
            "manifest.json: stored_results.units[A1].index_change: 'abc' không phải số thập "
            "phân dạng chuỗi.",
        ),
        (
            lambda s: s["units"]["A1"].update(index_change=1.5),
            "manifest.json: stored_results.units[A1].index_change: 1.5 không phải số thập "
            "phân dạng chuỗi.",
        ),
        (
            lambda s: s["units"].update(Z9={}),
            "manifest.json: stored_results.units[Z9]: đơn vị không có trong năm.",
        ),
        (
            lambda s: s["units"]["A1"].update(sipas_rank="1"),
            "manifest.json: stored_results.units[A1].sipas_rank: '1' không phải số nguyên.",
        ),
        (
            lambda s: s["units"]["A1"].update(predecessors=[{"year": "2022"}]),
            "manifest.json: stored_results.units[A1].predecessors: phải là danh sách các "
            "{year, code, name}.",
        ),
        (
            lambda s: s["units"]["A18"].update(warnings="2.2: không có phiếu"),
            "manifest.json: stored_results.units[A18].warnings: phải là danh sách các chuỗi.",
        ),
        (
            lambda s: s.update(blocks={}),
            "manifest.json: stored_results: phải có units (đối tượng) và blocks (danh sách).",
        ),
        (
            lambda s: s["blocks"].append({"block": 7}),
            "manifest.json: stored_results.blocks[{n}]: thiếu mã khối (null: toàn tỉnh).",
        ),
    ],
    ids=[
        "text",
        "float",
        "unknown unit",
        "rank text",
        "predecessors",
        "warnings",
        "blocks",
        "block code",
    ],
)
def test_malformed_stored_results_are_refused_before_anything_is_written(
    tmp_path, media, edit, expected
):
    year = two_years(tmp_path)
    export(year, tmp_path / "2025.zip")
    blocks = len(manifest_of(tmp_path / "2025.zip")["stored_results"]["blocks"])
    empty_database()

    lines = refused(
        with_manifest(
            tmp_path / "2025.zip",
            tmp_path / "doctored.zip",
            lambda manifest: edit(manifest["stored_results"]),
        )
    )

    assert lines == [
        expected.replace("{n}", str(blocks + 1)),
        "1 lỗi; không có dữ liệu nào được ghi.",
    ]
    assert not Year.objects.exists() and not Block.objects.exists()
