"""Zip-based files (xlsx, ods, docx, archives) measured before anything opens them.

`zip_guard`: what the members really inflate to. `ods_extent_guard`: how far an
OpenDocument sheet's cells reach, counted from its repeated rows and columns, before a
reader holding sheets as dense grids (calamine) allocates one.

A zip's directory declares each member's size, and a crafted file lies: a member that
declares 4 KB may inflate to 400 MB, and readers written in other languages (calamine)
allocate what the member really holds. So every member is inflated here, streamed in
small chunks and counted, and the file is refused as soon as a member passes what it
declared or the whole passes the caller's limit. Nothing is kept but the counts.
"""

from __future__ import annotations

import io
import logging
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError

logger = logging.getLogger(__name__)

CHUNK = 256 * 1024
LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature … name length, extra length
LOCAL_SIGNATURE = b"PK\x03\x04"
MAX_MEMBERS = 10_000
DEFAULT_LIMIT = 1024 * 1024 * 1024

Source = str | Path | bytes | BinaryIO


def zip_guard(
    source: Source,
    *,
    limit: int = DEFAULT_LIMIT,
    what: str = "tệp",
    max_members: int = MAX_MEMBERS,
) -> int:
    """The real inflated size of every member, added up; raises ValidationError (Vietnamese,
    naming `what`) for a file that is not a readable zip, that has too many members, a
    member larger than it declares, or inflates past `limit` bytes."""
    if isinstance(source, bytes):
        return _guard(io.BytesIO(source), limit=limit, what=what, max_members=max_members)
    if isinstance(source, str | Path):
        try:
            with open(source, "rb") as stream:
                return _guard(stream, limit=limit, what=what, max_members=max_members)
        except OSError as error:
            logger.info("zip_guard: cannot open %s: %s", source, error)
            raise ValidationError(f"Không mở được {what}.") from None
    position = source.tell()
    try:
        return _guard(source, limit=limit, what=what, max_members=max_members)
    finally:
        source.seek(position)


def zip_refusal(source: Source, **options) -> str | None:
    """`zip_guard`'s refusal as one message, or None when the file passes."""
    try:
        zip_guard(source, **options)
    except ValidationError as error:
        return error.messages[0]
    return None


def _guard(stream: BinaryIO, *, limit: int, what: str, max_members: int) -> int:
    broken = f"{what} bị hỏng hoặc không đúng định dạng (không đọc được cấu trúc nén ZIP)"
    try:
        infos = zipfile.ZipFile(stream).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        logger.info("zip_guard: not a zip: %s", error)
        raise ValidationError(f"{broken}; hãy mở lại và lưu đúng định dạng.") from None
    if len(infos) > max_members:
        raise ValidationError(f"{what} có {len(infos)} thành phần nén, quá giới hạn {max_members}.")
    too_large = (
        f"{what} giải nén ra hơn {limit // (1024 * 1024)} MB, quá giới hạn (nghi tệp độc hại)."
    )
    if sum(info.file_size for info in infos) > limit:
        raise ValidationError(too_large)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ValidationError(f"{what} có thành phần được mã hóa bằng mật khẩu: không đọc.")
        inflated = _member_inflated(stream, info, broken)
        if inflated > info.file_size:
            raise ValidationError(
                f"{what}: thành phần '{info.filename}' giải nén ra nhiều hơn kích thước khai "
                f"báo ({info.file_size} byte): tệp hỏng hoặc độc hại."
            )
        total += inflated
        if total > limit:
            raise ValidationError(too_large)
    return total


def _member_inflated(stream: BinaryIO, info: zipfile.ZipInfo, broken: str) -> int:
    """The bytes the member's data really inflates to, counted up to one past its declared
    size (which is enough to refuse it)."""
    stream.seek(info.header_offset)
    header = stream.read(LOCAL_HEADER.size)
    if len(header) < LOCAL_HEADER.size or header[:4] != LOCAL_SIGNATURE:
        raise ValidationError(f"{broken} (thành phần '{info.filename}').")
    _signature, name_length, extra_length = LOCAL_HEADER.unpack(header)
    stream.seek(name_length + extra_length, io.SEEK_CUR)
    left = info.compress_size
    stop = info.file_size + 1
    if info.compress_type == zipfile.ZIP_STORED:
        data = 0
        while left > 0 and (chunk := stream.read(min(CHUNK, left))):
            data += len(chunk)
            left -= len(chunk)
        return data
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise ValidationError(
            f"{broken}: thành phần '{info.filename}' dùng kiểu nén không được hỗ trợ."
        )
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    inflated = 0
    try:
        while left > 0 and inflated < stop and not inflater.eof:
            chunk = stream.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            pending, produced = chunk, 0
            # A full chunk of output may leave more inside zlib with no input pending.
            while (pending or produced == CHUNK) and inflated < stop and not inflater.eof:
                produced = len(inflater.decompress(pending, CHUNK))
                inflated += produced
                pending = inflater.unconsumed_tail
    except zlib.error as error:
        logger.info("zip_guard: %s: %s", info.filename, error)
        raise ValidationError(f"{broken} (thành phần '{info.filename}').") from None
    return inflated


ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
ODS_VALUE_TYPE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"


def ods_extent_guard(path: str | Path, *, max_cells: int, what: str = "tệp") -> None:
    """Refuse an .ods (already through `zip_guard`) whose cells holding a value span more
    than `max_cells` (rows × columns) in one sheet; raises ValidationError."""
    from xml.etree.ElementTree import ParseError, iterparse

    row_tag, cell_tags = ODS_TABLE + "table-row", (ODS_TABLE + "table-cell",)
    cell_tags += (ODS_TABLE + "covered-table-cell",)
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
            rows = columns = row = column = 0
            for event, element in iterparse(content, events=("start", "end")):
                if element.tag == ODS_TABLE + "table" and event == "start":
                    rows = columns = row = 0
                elif element.tag == row_tag and event == "start":
                    column = 0
                elif element.tag in cell_tags and event == "start":
                    repeated = int(element.get(ODS_TABLE + "number-columns-repeated", 1))
                    if element.get(ODS_VALUE_TYPE):
                        columns = max(columns, column + repeated)
                        rows = max(rows, row + 1)
                    column += repeated
                elif element.tag == row_tag and event == "end":
                    repeated = int(element.get(ODS_TABLE + "number-rows-repeated", 1))
                    if rows == row + 1:  # the row held a value: its repeats do too
                        rows = row + repeated
                    row += repeated
                    element.clear()
                if rows * columns > max_cells:
                    raise ValidationError(
                        f"{what} có trang tính quá lớn ({rows} dòng × {columns} cột có dữ "
                        "liệu): xóa các dòng, cột thừa hoặc lưu lại dạng .xlsx."
                    )
    except (ParseError, ValueError, KeyError, zipfile.BadZipFile) as error:
        logger.info("ods_extent_guard: %s: %s", path, error)
        raise ValidationError(f"{what} bị hỏng, không đọc được như tệp .ods.") from None
