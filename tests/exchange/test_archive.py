"""export_archive / import_archive: a whole year as one checksummed archive.

The demo's 2022 (published, with results), given evidence files (two versions of one file,
a file on two leaves, an explanation's file), is exported once; every test imports it, or a
doctored copy, into an empty database with its own MEDIA_ROOT.
"""

import hashlib
import io
import json
import struct
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings

from appraisal.models import Computation, Explanation
from appraisal.results import results_document
from criteria.models import Year
from evidence.models import EvidenceFile, Score
from exchange.archive import MANIFEST
from tests.exchange.workbook_factory import write_year_workbook

PDF = b"%PDF-1.4\n1 0 obj << /Title (Ke hoach CCHC 2022) >> endobj\ntrailer << >>\n%%EOF\n"
PDF_V2 = PDF.replace(b"2022", b"2022, ban sua doi")
PDF_EXPLAINED = b"%PDF-1.4\n% van ban giai trinh\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Báo cáo</w:document>")
    return buffer.getvalue()


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def evidence_add(score: Score, name: str, content: bytes, kind: str, by=None, replaces=None):
    return EvidenceFile.objects.create(
        participation=score.participation,
        file=SimpleUploadedFile(name, content),
        original_name=name,
        kind=kind,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=by,
        replaces=replaces,
    )


def leaves_of(year: Year, unit: str, count: int) -> list[Score]:
    return list(
        Score.objects.filter(
            participation__year=year, participation__unit__code=unit, criterion__method="evidence"
        )
        .select_related("participation", "criterion")
        .order_by("criterion__sort_key")[:count]
    )


def evidence_snapshot(year_number: int) -> list[tuple]:
    """Everything an evidence file is, in plain values, with the bytes read from disk."""
    rows = []
    for f in EvidenceFile.objects.filter(participation__year__year=year_number).select_related(
        "participation__unit", "uploaded_by", "replaces"
    ):
        with f.file.open("rb") as stream:
            content = stream.read()
        rows.append(
            (
                f.participation.unit.code,
                f.original_name,
                f.kind,
                f.size,
                f.sha256,
                content,
                f.uploaded_by.username if f.uploaded_by else None,
                f.uploaded_at,
                f.replaces.sha256 if f.replaces else None,
                sorted(f.scores.values_list("criterion__code", flat=True)),
                sorted(f.explanations.values_list("note", flat=True)),
            )
        )
    return sorted(rows, key=lambda row: (row[0], row[4]))


def media_files(root) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def demo_archive(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's 2022 with evidence files, exported; the database is emptied afterwards."""
    root = tmp_path_factory.mktemp("archive")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=root / "source-media"):
        run("load_demo")
        year = Year.objects.get(year=2022)
        users = get_user_model().objects.in_bulk(
            ["canbo.yte", "thutruong.yte"], field_name="username"
        )
        plan, budget, report = leaves_of(year, "A18", 3)
        [district] = leaves_of(year, "B1", 1)
        first = evidence_add(plan, "ke-hoach.pdf", PDF, "pdf", users["canbo.yte"])
        second = evidence_add(
            plan, "ke-hoach-sua.pdf", PDF_V2, "pdf", users["canbo.yte"], replaces=first
        )
        plan.evidence.add(second)
        budget.evidence.add(second)
        report.evidence.add(
            evidence_add(report, "anh-chup.png", PNG, "png", users["thutruong.yte"])
        )
        district.evidence.add(evidence_add(district, "bao-cao.docx", docx(), "docx"))
        explanation = Explanation.objects.create(
            score=report, note="Bổ sung văn bản số 15/SYT.", by=users["canbo.yte"]
        )
        explanation.files.add(
            evidence_add(report, "giai-trinh.pdf", PDF_EXPLAINED, "pdf", users["canbo.yte"])
        )
        original = SimpleNamespace(
            results=results_document(year),
            evidence=evidence_snapshot(2022),
            path=root / "nam-2022.zip",
        )
        original.output = run("export_archive", "--year", "2022", "--out", str(original.path))
        original.path_2021 = root / "nam-2021.zip"
        run("export_archive", "--year", "2021", "--out", str(original.path_2021))
        call_command("flush", interactive=False)
    return original


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def nothing_written(media_root) -> bool:
    return (
        Year.objects.count() == 0
        and EvidenceFile.objects.count() == 0
        and Explanation.objects.count() == 0
        and media_files(media_root) == []
    )


def rewrite(source: Path, target: Path, *, drop=(), change=None, add=None, manifest=True):
    """A copy of an archive with members dropped, changed or added; the manifest follows
    (`manifest=True`) or stays as it was."""
    change, add = change or {}, add or {}
    with zipfile.ZipFile(source) as old:
        contents = {name: old.read(name) for name in old.namelist() if name not in drop}
    for name, edit in change.items():
        contents[name] = edit(contents[name])
    contents.update(add)
    if manifest:
        document = json.loads(contents[MANIFEST])
        document["members"] = [
            {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in contents.items()
            if name != MANIFEST
        ]
        contents[MANIFEST] = json.dumps(document).encode()
    with zipfile.ZipFile(target, "w") as new:
        for name, data in contents.items():
            new.writestr(zipfile.ZipInfo(name), data)
    return target


def flip_last_byte(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0x01])


def refused(path, *options) -> str:
    with pytest.raises(CommandError) as error:
        run("import_archive", str(path), *options)
    return str(error.value)


def test_export_prints_members_files_and_bytes(demo_archive):
    assert demo_archive.output.startswith(f"Đã ghi {demo_archive.path}: năm 2022, 9 thành phần")
    assert "(5 tệp kiểm chứng)" in demo_archive.output
    with zipfile.ZipFile(demo_archive.path) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        assert sorted(archive.namelist()) == sorted(
            [MANIFEST, *(m["name"] for m in manifest["members"])]
        )
        for member in manifest["members"]:
            data = archive.read(member["name"])
            assert (hashlib.sha256(data).hexdigest(), len(data)) == (
                member["sha256"],
                member["size"],
            )
    assert (manifest["format_version"], manifest["year"], manifest["year_status"]) == (
        1,
        2022,
        "published",
    )
    assert manifest["rank_change_base"] == 2021
    assert {"created_at", "app_version"} <= manifest.keys()


def test_the_demo_year_moves_into_an_empty_database_with_identical_results_and_bytes(
    demo_archive, transactional_db, media
):
    get_user_model().objects.create_user("canbo.yte")  # thutruong.yte does not exist here

    output = run("import_archive", str(demo_archive.path))

    year = Year.objects.get(year=2022)
    assert year.is_published
    assert results_document(year) == demo_archive.results
    expected = [
        (*row[:6], None if row[6] == "thutruong.yte" else row[6], *row[7:])
        for row in demo_archive.evidence
    ]
    assert evidence_snapshot(2022) == expected
    # New random names under evidence/<year>/<unit>/, never the archive's member names.
    stored = [p.relative_to(media).parts[:3] for p in media_files(media)]
    assert sorted(stored) == sorted(("evidence", "2022", row[0]) for row in demo_archive.evidence)
    assert output.startswith(
        f"Đã nhập năm 2022 (Đã công bố) từ {demo_archive.path}: 9 thành phần đúng mã SHA-256, "
        "5 tệp kiểm chứng,"
    )
    assert "kết quả: tính lại 30 đơn vị, khớp results.json" in output
    # 2021 is not in this installation: the published rank changes are kept.
    assert "thay đổi thứ hạng giữ theo kho lưu trữ (so với năm 2021" in output
    assert "(để trống): thutruong.yte" in output


def test_with_the_earlier_year_imported_first_rank_changes_are_recomputed_not_kept(
    demo_archive, transactional_db, media
):
    run("import_archive", str(demo_archive.path_2021))

    output = run("import_archive", str(demo_archive.path))

    assert "giữ theo kho lưu trữ" not in output
    assert results_document(Year.objects.get(year=2022)) == demo_archive.results


def test_a_published_year_is_refused_even_with_replace(demo_archive, transactional_db, media):
    run("import_archive", str(demo_archive.path))
    files = media_files(media)

    for options in ((), ("--replace",)):
        message = refused(demo_archive.path, *options)
        assert (
            "year.xlsx: year!2: value: Năm 2022 đã công bố: dữ liệu của năm đã khóa, không thể thay đổi."
            in message
        )
    assert media_files(media) == files
    assert EvidenceFile.objects.count() == 5


def test_a_member_changed_by_one_byte_is_refused_naming_both_checksums(
    demo_archive, transactional_db, media, tmp_path
):
    tampered = rewrite(
        demo_archive.path,
        tmp_path / "tampered.zip",
        change={"evidence/3.png": flip_last_byte},
        manifest=False,
    )
    with zipfile.ZipFile(demo_archive.path) as archive:
        expected = hashlib.sha256(archive.read("evidence/3.png")).hexdigest()
        actual = hashlib.sha256(flip_last_byte(archive.read("evidence/3.png"))).hexdigest()

    message = refused(tampered)

    assert (
        f"Thành phần 'evidence/3.png': SHA-256 {actual} khác manifest.json ({expected})" in message
    )
    assert message.endswith("1 lỗi; không có dữ liệu nào được ghi.")
    assert nothing_written(media)


def test_a_byte_flipped_inside_the_zip_file_is_refused(
    demo_archive, transactional_db, media, tmp_path
):
    raw = bytearray(demo_archive.path.read_bytes())
    with zipfile.ZipFile(demo_archive.path) as archive:
        info = archive.getinfo("evidence/1.pdf")
    # Stored uncompressed after its local header: 30 bytes, then the name and extra field.
    name_length, extra_length = struct.unpack_from("<HH", raw, info.header_offset + 26)
    raw[info.header_offset + 30 + name_length + extra_length + 20] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))

    message = refused(damaged)

    assert "Thành phần 'evidence/1.pdf'" in message
    assert nothing_written(media)


def test_a_missing_member_is_refused(demo_archive, transactional_db, media, tmp_path):
    message = refused(
        rewrite(
            demo_archive.path, tmp_path / "missing.zip", drop=["evidence/4.docx"], manifest=False
        )
    )
    assert "Thiếu thành phần 'evidence/4.docx' (có trong manifest.json)." in message
    assert nothing_written(media)


def test_a_member_not_in_the_manifest_is_refused(demo_archive, transactional_db, media, tmp_path):
    message = refused(
        rewrite(
            demo_archive.path,
            tmp_path / "extra.zip",
            add={"evidence/99.pdf": PDF},
            manifest=False,
        )
    )
    assert "Thành phần 'evidence/99.pdf' không có trong manifest.json." in message
    assert nothing_written(media)


@pytest.mark.parametrize(
    "name, reason",
    [
        ("../../evil.pdf", "chứa '..' (ra ngoài thư mục), bị từ chối"),
        ("evidence/../../evil.pdf", "chứa '..' (ra ngoài thư mục), bị từ chối"),
        ("/tmp/evil.pdf", "đường dẫn tuyệt đối, bị từ chối"),
        ("C:/evil.pdf", "đường dẫn tuyệt đối, bị từ chối"),
        ("evil.html", "tên không thuộc định dạng kho lưu trữ"),
    ],
)
def test_member_names_outside_the_archive_format_are_refused(
    demo_archive, transactional_db, media, tmp_path, name, reason
):
    # Listed in the manifest with its true checksum: the name alone is refused.
    message = refused(rewrite(demo_archive.path, tmp_path / "evil.zip", add={name: PDF}))
    assert f"Thành phần '{name}': {reason}." in message
    assert nothing_written(media)
    assert not (tmp_path.parent / "evil.pdf").exists()


def test_an_evidence_member_whose_content_is_not_its_kind_is_refused(
    demo_archive, transactional_db, media, tmp_path
):
    page = b"<html><script>alert(1)</script></html>"
    path = rewrite(
        demo_archive.path, tmp_path / "html.zip", change={"evidence/1.pdf": lambda _: page}
    )

    message = refused(path)

    assert (
        "Thành phần 'evidence/1.pdf': nội dung không phải tệp PDF (nhận dạng theo nội dung: "
        "không rõ)."
    ) in message
    assert nothing_written(media)


def test_an_oversized_member_is_refused_before_it_is_inflated(
    demo_archive, transactional_db, media, tmp_path
):
    bomb = b"\0" * (21 * 1024 * 1024)  # deflates to about 20 KB
    path = tmp_path / "bomb.zip"
    rewrite(demo_archive.path, path, drop=["evidence/3.png"], add={"evidence/3.png": bomb})

    message = refused(path)

    assert f"Thành phần 'evidence/3.png': {len(bomb)} byte, quá giới hạn" in message
    assert nothing_written(media)


def test_a_size_that_differs_from_the_manifest_is_refused(
    demo_archive, transactional_db, media, tmp_path
):
    path = rewrite(
        demo_archive.path,
        tmp_path / "longer.zip",
        change={"evidence/1.pdf": lambda data: data + b"%% more\n"},
        manifest=False,
    )
    message = refused(path)
    assert "Thành phần 'evidence/1.pdf': kích thước" in message
    assert nothing_written(media)


def test_evidence_metadata_naming_an_unknown_criterion_is_refused(
    demo_archive, transactional_db, media, tmp_path
):
    def retarget(data: bytes) -> bytes:
        metadata = json.loads(data)
        metadata["files"][0]["criteria"] = ["9.9.9"]
        return json.dumps(metadata).encode()

    message = refused(
        rewrite(demo_archive.path, tmp_path / "meta.zip", change={"evidence.json": retarget})
    )
    assert "evidence.json: files[1]: tiêu chí '9.9.9' không có trong bộ chỉ số khối A." in message
    assert nothing_written(media)


def test_results_that_the_data_does_not_reproduce_are_refused_and_files_removed(
    demo_archive, transactional_db, media, tmp_path
):
    def doctor(data: bytes) -> bytes:
        document = json.loads(data)
        document["blocks"][0]["units"][0]["index"] = "99.99"
        return json.dumps(document, ensure_ascii=False).encode()

    with zipfile.ZipFile(demo_archive.path) as archive:
        first = json.loads(archive.read("results.json"))["blocks"][0]["units"][0]
    message = refused(
        rewrite(demo_archive.path, tmp_path / "results.zip", change={"results.json": doctor})
    )

    assert "results.json: kết quả tính lại khác kết quả trong kho lưu trữ:" in message
    assert (
        f'blocks[A].units[{first["code"]}].index: trong kho lưu trữ "99.99", '
        f'tính lại "{first["index"]}"'
    ) in message
    # The files were already copied when the results were compared: they are gone again.
    assert nothing_written(media)


def test_a_copy_failing_half_way_leaves_no_file_behind(
    demo_archive, transactional_db, media, monkeypatch
):
    from exchange.archive.format import HashingReader

    read = HashingReader.read
    calls = []

    def disk_full_on_the_fourth_file(self, n=-1):
        calls.append(self)
        if len({id(reader) for reader in calls}) == 4 and self.size:
            raise OSError(28, "No space left on device")
        return read(self, 8)

    monkeypatch.setattr(HashingReader, "read", disk_full_on_the_fourth_file)

    with pytest.raises(OSError, match="No space left"):
        run("import_archive", str(demo_archive.path))

    assert nothing_written(media)


def test_an_existing_year_needs_replace_and_replace_swaps_it_whole(
    transactional_db, media, tmp_path
):
    call_command("import_year", str(write_year_workbook(tmp_path / "2022.xlsx")), stdout=None)
    run("compute_results", "--year", "2022")
    year = Year.objects.get(year=2022)
    [score] = leaves_of(year, "A18", 1)
    first = evidence_add(score, "ke-hoach.pdf", PDF, "pdf")
    score.evidence.add(evidence_add(score, "ke-hoach-2.pdf", PDF_V2, "pdf", replaces=first))
    before = results_document(year), evidence_snapshot(2022)
    archive = tmp_path / "2022.zip"
    run("export_archive", "--year", "2022", "--out", str(archive))
    files = media_files(media)

    message = refused(archive)
    assert (
        "year.xlsx: year!2: value: năm 2022 đã có trong hệ thống; nhập với --replace để thay "
        "thế toàn bộ dữ liệu của năm"
    ) in message
    assert media_files(media) == files

    output = run("import_archive", str(archive), "--replace")

    assert "kết quả: tính lại 2 đơn vị, khớp results.json" in output
    assert (results_document(Year.objects.get(year=2022)), evidence_snapshot(2022)) == before
    assert Computation.objects.count() == 1
    # The replaced year's files left the disk with their rows; no copy was left behind.
    after = media_files(media)
    assert len(after) == 2 and not set(after) & set(files)
