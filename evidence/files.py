"""Evidence uploads: the type is read from the content, never from the name."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile

from django.core.exceptions import ValidationError

from kernel.text import size_text
from kernel.zipguard import zip_refusal

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The extensions a served file may keep for its sniffed kind (the first is the one given).
EXTENSIONS = {
    "pdf": (".pdf",),
    "png": (".png",),
    "jpg": (".jpg", ".jpeg"),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
}
# What a browser shows inline; office documents are downloaded.
PREVIEWABLE_KINDS = frozenset({"pdf", "png", "jpg"})
# An office file is a zip: refuse archives that would inflate past this (zip bombs).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024


def sniff_kind(head: bytes, data: bytes) -> str | None:
    """`pdf`, `png`, `jpg`, `docx`, `xlsx` from the first bytes (and the zip directory)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        # Declared sizes are the file's word: measured by what the members really inflate to.
        if zip_refusal(data, limit=MAX_UNZIPPED_BYTES) is not None:
            return None
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def evidence_check(uploaded_file) -> tuple[str, str, int]:
    """Validate an upload; returns (kind, sha256, size) or raises a Vietnamese ValidationError."""
    size = uploaded_file.size
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            f"Tệp '{uploaded_file.name}' dung lượng {size_text(size)}, vượt quá 20 MB."
        )
    if size == 0:
        raise ValidationError(f"Tệp '{uploaded_file.name}' rỗng.")
    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(0)
    kind = sniff_kind(data[:16], data)
    if kind is None:
        raise ValidationError(
            f"Tệp '{uploaded_file.name}' không phải PDF, DOCX, XLSX, JPG hoặc PNG "
            "(kiểm tra theo nội dung tệp, không theo tên)."
        )
    return kind, hashlib.sha256(data).hexdigest(), size


def served_name(original_name: str, kind: str) -> str:
    """The name a file is sent under: the user's name, its extension made to follow the
    sniffed kind (`bao-cao.html` sniffed as PDF → `bao-cao.pdf`, `scan.JPEG` stays)."""
    allowed = EXTENSIONS.get(kind)
    if not allowed:
        return original_name
    stem, extension = os.path.splitext(original_name)
    if extension.lower() in allowed:
        return original_name
    return (stem or "tai-lieu") + allowed[0]
