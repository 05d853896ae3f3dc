"""What the report is made of, for the PDF template and the DOCX writer alike."""

from __future__ import annotations

from dataclasses import dataclass, field

Run = tuple[str, str]  # (text, style): "" plain, "i" italic, "b" bold


@dataclass
class Heading:
    level: int  # 1: part, 2: I., 3: 1., 4: 1.1. / a), 5: italic lead
    text: str


@dataclass
class Para:
    runs: list[Run]
    style: str = ""  # "item" for a "- …" line, "note" for a small italic remark

    @property
    def text(self) -> str:
        return "".join(text for text, _style in self.runs)


@dataclass
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    align: str = ""  # "num", "center" or ""


@dataclass
class Table:
    caption: str
    header: list[list[Cell]]
    rows: list[list[Cell]]
    widths: list[int] = field(default_factory=list)  # relative column widths

    @property
    def percents(self) -> list[str]:
        total = sum(self.widths)
        return [f"{w * 100 / total:.2f}" for w in self.widths]


Element = Heading | Para | Table


@dataclass
class ReportDocument:
    title: str
    subject: str
    place_date: str
    body: list[Element]
    appendix: list[tuple[str, list[Element]]]  # (heading, elements), landscape pages
    recipients: list[str]
    signature: list[str]
    draft: bool


def p(*runs: str | Run, style: str = "") -> Para:
    return Para([(run, "") if isinstance(run, str) else run for run in runs], style=style)


def italic(text: str) -> Run:
    return (text, "i")


def bold(text: str) -> Run:
    return (text, "b")
