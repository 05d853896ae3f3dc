"""The zip guard measures what members really inflate to (issue 12 item 9, issue 13 item 5):
declared sizes are the file's word, never trusted."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError

from kernel.zipguard import zip_guard, zip_refusal

MB = 1024 * 1024


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def lying(data: bytes, name: str, declared: int) -> bytes:
    """The zip with `name`'s uncompressed size rewritten to `declared`, in its local header
    and its central directory entry, as a crafted file does."""
    data = bytearray(data)
    end = data.rindex(b"PK\x05\x06")
    size, offset = struct.unpack_from("<II", data, end + 12)
    position = offset
    while position < offset + size:
        name_length, extra, comment = struct.unpack_from("<HHH", data, position + 28)
        (local,) = struct.unpack_from("<I", data, position + 42)
        entry_name = bytes(data[position + 46 : position + 46 + name_length]).decode()
        if entry_name == name:
            struct.pack_into("<I", data, position + 24, declared)
            struct.pack_into("<I", data, local + 22, declared)
        position += 46 + name_length + extra + comment
    return bytes(data)


def test_an_honest_zip_passes_with_its_real_size():
    data = zip_of({"a.xml": b"x" * 1000, "b.xml": b"y" * 5000})
    assert zip_guard(data, limit=MB) == 6000


def test_a_member_inflating_past_what_it_declares_is_refused_after_a_few_bytes():
    # 64 MB of zeros declaring 4 KB: refused at the 4 097th byte, not after 64 MB.
    bomb = lying(zip_of({"word/document.xml": b"\0" * (64 * MB)}), "word/document.xml", 4096)
    assert zipfile.ZipFile(io.BytesIO(bomb)).getinfo("word/document.xml").file_size == 4096
    with pytest.raises(ValidationError) as error:
        zip_guard(bomb, limit=200 * MB, what="Tệp 'bao-cao.docx'")
    assert error.value.messages == [
        "Tệp 'bao-cao.docx': thành phần 'word/document.xml' giải nén ra nhiều hơn kích thước "
        "khai báo (4096 byte): tệp hỏng hoặc độc hại."
    ]


def test_members_adding_up_past_the_limit_are_refused():
    data = zip_of({f"part{i}.xml": b"\0" * (3 * MB) for i in range(4)})
    assert zip_refusal(data, limit=10 * MB, what="Tệp") == (
        "Tệp giải nén ra hơn 10 MB, quá giới hạn (nghi tệp độc hại)."
    )
    assert zip_refusal(data, limit=12 * MB) is None


def test_stored_members_are_counted_too():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.bin", b"z" * 2048)
    assert zip_guard(buffer.getvalue(), limit=MB) == 2048


@pytest.mark.parametrize(
    "data",
    [b"", b"PK\x03\x04 truncated", b"MZ\x90\x00 an executable", zip_of({"a": b"b"})[:-30]],
    ids=["empty", "truncated header", "not a zip", "end cut off"],
)
def test_what_is_not_a_readable_zip_is_refused_in_vietnamese(data):
    with pytest.raises(ValidationError) as error:
        zip_guard(data, what="Tệp 'x.xlsx'")
    assert error.value.messages == [
        "Tệp 'x.xlsx' bị hỏng hoặc không đúng định dạng (không đọc được cấu trúc nén ZIP); "
        "hãy mở lại và lưu đúng định dạng."
    ]


def test_corrupt_deflate_data_is_refused_not_raised():
    data = bytearray(zip_of({"a.xml": zlib.compress(b"q" * 100_000) * 3}))
    start = 30 + len("a.xml")
    data[start : start + 40] = b"\xff" * 40
    message = zip_refusal(bytes(data), what="Tệp")
    assert message is not None and message.startswith("Tệp bị hỏng")


def test_a_file_object_is_left_where_it_was(tmp_path):
    stream = io.BytesIO(zip_of({"a": b"123"}))
    stream.seek(2)
    assert zip_guard(stream) == 3
    assert stream.tell() == 2
    path = tmp_path / "a.zip"
    path.write_bytes(zip_of({"a": b"12345"}))
    assert zip_guard(path) == 5
