"""One text normalisation for every door text comes in by (imports, forms, the admin), and
the encodings a CSV saved by Excel may arrive in.

A Mac types "Sở" as NFD (o, combining horn, combining hook), Windows as NFC; a zero-width
space copied from a web page makes `A1\u200b` look like the code A1. Text is stored NFC,
without zero-width characters, with no-break spaces as plain spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Zero-width space, non-joiner, joiner, word joiner, byte-order mark, soft hyphen.
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
NO_BREAK = dict.fromkeys(map(ord, "\u00a0\u202f\u2007"), " ")
INVISIBLE = {**ZERO_WIDTH, **NO_BREAK}
SEPARATORS = re.compile(r"[\s_\-./]+")


# Control characters (NUL first: PostgreSQL refuses it in any text) are never data; tab,
# line feed and carriage return stay for multi-line notes.
CONTROL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 127])


def text_clean(value: str) -> str:
    """NFC, zero-width and control characters removed, no-break spaces made plain, ends
    stripped."""
    if value.isascii():
        return value.translate(CONTROL).strip() if not value.isprintable() else value.strip()
    return unicodedata.normalize("NFC", value.translate(INVISIBLE).translate(CONTROL)).strip()


def name_key(value: str) -> str:
    """A sheet or column name as compared with the expected one: case, accents (đ as d),
    spaces, hyphens and underscores do not count (`Self Scoré` ~ `self_score`)."""
    text = text_clean(value).casefold().replace("đ", "d")
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return SEPARATORS.sub("_", text).strip("_")


def names_matching(names: list[str], wanted: str, aliases: Iterable[str] = ()) -> list[int]:
    """Where `wanted` is among `names`: exactly (the first), else every name equal to it or
    to one of its aliases by `name_key`; more than one is for the caller to refuse."""
    if wanted in names:
        return [names.index(wanted)]
    keys = {name_key(wanted), *(name_key(alias) for alias in aliases)}
    return [i for i, name in enumerate(names) if name and name_key(name) in keys]


# What Excel writes for a cell whose formula fails (its cached value), in every language.
FORMULA_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#NAME!",  # LibreOffice's Err:nnn cells are read as these or as 'Err:5xx'
    }
)
LIBREOFFICE_ERROR = re.compile(r"Err:\d{3}")


def formula_error(value: object) -> str | None:
    """The error a cell shows (`#DIV/0!`, `Err:502`) when its formula failed, else None."""
    if not isinstance(value, str) or not value.startswith(("#", "Err:")):
        return None
    text = value.strip()
    if text.upper() in FORMULA_ERRORS or LIBREOFFICE_ERROR.fullmatch(text):
        return text
    return None


# The encodings a CSV from Excel arrives in, as the user knows them.
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (có BOM)",
    "utf-16": "UTF-16 (Excel: “Unicode Text”)",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "cp1258": "Windows-1258 (Excel: “CSV” trên Windows tiếng Việt)",
    "cp1252": "Windows-1252 (Excel: “CSV” trên Windows tiếng Anh)",
}
SAVE_AS_UTF8 = (
    "trong Excel chọn File → Save As (Lưu thành) → kiểu tệp “CSV UTF-8 (Comma delimited) "
    "(*.csv)”, hoặc dùng tệp .xlsx"
)
# Bytes Windows-1258 gives Vietnamese letters or tone marks where Windows-1252 gives
# Western ones (Ă Đ Ơ Ư ă đ ơ ư ₫ and the five combining tone marks).
VIETNAMESE_1258 = bytes([0xC3, 0xD0, 0xD5, 0xDD, 0xE3, 0xF0, 0xF5, 0xFD, 0xFE])
VIETNAMESE_1258 += bytes([0xCC, 0xEC, 0xD2, 0xDE, 0xF2])
# Bytes Windows-1258 leaves undefined (Š Ž š ž in 1252): such a file is not 1258.
NOT_1258 = bytes([0x8A, 0x8E, 0x9A, 0x9E])


class EncodingSniffer:
    """Fed a file's bytes chunk by chunk, tells the encoding it is in: UTF-8 with or without
    a BOM, UTF-16 (BOM, or the NUL bytes of ASCII text), else Windows-1258 or 1252."""

    def __init__(self):
        import codecs

        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self._utf8_ok = True
        self._head = b""
        self._single = {"cp1258": 0, "not1258": 0, "undecodable": 0}

    def feed(self, chunk: bytes) -> None:
        if len(self._head) < 4:
            self._head += chunk[: 4 - len(self._head)]
        if self._utf8_ok:
            try:
                self._utf8.decode(chunk)
                return
            except UnicodeDecodeError:
                self._utf8_ok = False
        self._single["cp1258"] += sum(chunk.count(byte) for byte in _each(VIETNAMESE_1258))
        self._single["not1258"] += sum(chunk.count(byte) for byte in _each(NOT_1258))

    def encoding(self) -> str | None:
        """The codec name, or None when no encoding we know reads it."""
        head = self._head
        if head.startswith(b"\xef\xbb\xbf"):
            return "utf-8-sig" if self._utf8_ok else None
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "utf-16"
        if len(head) >= 4 and head[1] == 0 and head[3] == 0 and head[0] and head[2]:
            return "utf-16-le"
        if len(head) >= 4 and head[0] == 0 and head[2] == 0 and head[1] and head[3]:
            return "utf-16-be"
        if self._utf8_ok:
            try:
                self._utf8.decode(b"", final=True)
                return "utf-8"
            except UnicodeDecodeError:
                pass
        return "cp1252" if self._single["not1258"] else "cp1258"


def _each(raw: bytes) -> Iterable[bytes]:
    return (raw[i : i + 1] for i in range(len(raw)))


def encoding_label(encoding: str) -> str:
    return ENCODING_NAMES.get(encoding, encoding)


def size_text(size: int) -> str:
    """`1,5 GB`, `20,0 MB`, `12 KB`: comma decimals, as every page and message writes sizes."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}".replace(".", ",")
    return f"{max(round(size / 1024), 1 if size else 0)} KB"
