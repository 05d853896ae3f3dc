"""What a year archive is: its member names, the limits on what it may declare, how a
member's SHA-256 is taken, and the year its rank changes compare with."""

from __future__ import annotations

import hashlib
import re
from typing import BinaryIO

from criteria.models import Year
from evidence.files import MAX_EVIDENCE_BYTES
from evidence.models import EvidenceFile

FORMAT = "parindex-year-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
WORKBOOK = "year.xlsx"
RESULTS = "results.json"
EVIDENCE = "evidence.json"
KINDS = tuple(EvidenceFile.Kind.values)
EVIDENCE_MEMBER = re.compile(r"evidence/([1-9][0-9]{0,8})\.(" + "|".join(KINDS) + r")")
SHA256 = re.compile(r"[0-9a-f]{64}")
CHUNK = 1024 * 1024
# Bounds on what an archive may declare: a crafted archive must not fill the disk or memory.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_JSON_BYTES = 512 * 1024 * 1024
MAX_WORKBOOK_BYTES = 2 * 1024 * 1024 * 1024
MAX_MEMBERS = 1_000_000


def member_name_problem(name: str) -> str | None:
    """Why a member name is refused, or None. Only the names export writes are accepted."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return "đường dẫn tuyệt đối, bị từ chối"
    if ".." in parts:
        return "chứa '..' (ra ngoài thư mục), bị từ chối"
    if "\\" in name or any(ord(ch) < 32 for ch in name):
        return "tên chứa ký tự không hợp lệ"
    if name in (MANIFEST, WORKBOOK, RESULTS, EVIDENCE) or EVIDENCE_MEMBER.fullmatch(name):
        return None
    return "tên không thuộc định dạng kho lưu trữ"


def member_size_limit(name: str) -> int:
    if name.startswith("evidence/"):
        return MAX_EVIDENCE_BYTES
    if name == WORKBOOK:
        return MAX_WORKBOOK_BYTES
    return MAX_JSON_BYTES


def rank_change_base(year: Year) -> int | None:
    """The closest earlier year with results: what rank changes are computed against."""
    return (
        Year.objects.filter(year__lt=year.year, computation__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


class HashingReader:
    """A member's SHA-256 and size, taken from what is read through it: export writing the
    member into the archive, import copying it into MEDIA_ROOT."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        chunk = self.stream.read(n)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk
