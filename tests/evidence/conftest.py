"""A small year in self-assessment and the people who work on it (tests/personas.py).

Sở Y tế (A18) is the unit under test: its CCHC officer, a colleague and its head. Sở Tư pháp
(A8) is another unit; its officer must never see Sở Y tế's work. The province's staff
(an appraiser, a council member, a Nội vụ officer) read evidence files but edit nothing.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from criteria.models import Criterion, Participation, Year
from tests.personas import TU_PHAP, Y_TE, Node, local, person, year_build

# 2023 self-assessment window: 25/12/2022 00:00 → 10/01/2023 24:00, Asia/Ho_Chi_Minh.
OPENS = local(2022, 12, 25)
CLOSES = local(2023, 1, 11)
DURING = local(2023, 1, 5, 9, 30)

TREE = [
    Node("1", "4"),
    Node("1.1", "2", "evidence"),
    Node("1.2", "1", "evidence", rubric=[["100", "1"], ["80", "0.5"], ["0", "0"]]),
    Node("1.3", "1", "evidence"),
    Node("1.4", "1", "evidence", kind="deduction"),
    Node("2", "5"),
    Node("2.1", "5", "survey"),
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def during_window(time_machine):
    time_machine.move_to(DURING, tick=False)
    return DURING


@pytest.fixture
def year(db) -> Year:
    return year_build(
        2023,
        units=[Y_TE, TU_PHAP],
        tree=TREE,
        status=Year.Status.SELF_ASSESSMENT,
        self_assessment_opens=OPENS,
        self_assessment_closes=CLOSES,
    ).year


@pytest.fixture
def leaf(year):
    """Look a criterion up by code: `leaf("1.1")`."""
    return lambda code: Criterion.objects.get(year=year, code=code)


@pytest.fixture
def yte(year) -> Participation:
    return Participation.objects.get(year=year, unit__code=Y_TE)


@pytest.fixture
def tuphap(year) -> Participation:
    return Participation.objects.get(year=year, unit__code=TU_PHAP)


@pytest.fixture
def officer(yte):
    """Trần Văn Minh, CCHC focal officer of Sở Y tế."""
    return person("canbo.yte")


@pytest.fixture
def colleague(yte):
    """Another officer of Sở Y tế, who may be given some leaves."""
    return person("chuyenvien.yte")


@pytest.fixture
def head(yte):
    """The director (Giám đốc) of Sở Y tế, who submits."""
    return person("thutruong.yte")


@pytest.fixture
def other_officer(tuphap):
    """The CCHC officer of Sở Tư pháp: a stranger to Sở Y tế's self-assessment."""
    return person("canbo.tuphap")


@pytest.fixture
def appraiser(tuphap):
    return person("thamdinh.tuphap")


@pytest.fixture
def council_member(year):
    return person("hoidong")


@pytest.fixture
def home_affairs(year):
    return person("noivu")


def pdf_file(name: str = "ke-hoach.pdf", body: bytes = b"") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + body + b"\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_file(name: str = "anh-chup.png") -> SimpleUploadedFile:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"\x00\xff\x00\x00"
    content = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile(name, content, content_type="image/png")


def docx_file(name: str = "bao-cao.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def exe_file(name: str = "bao-cao.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf"
    )
