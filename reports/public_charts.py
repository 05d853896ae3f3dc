"""Charts drawn as SVG on the server: the same drawing serves the page and the PDF.

Plain SVG with real <text> (no script, no external reference), escaped labels, and numbers
written with a decimal comma.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from html import escape

BAR_COLOURS = {90: "#1b7f3b", 80: "#2f6fa3", 70: "#c98a00", 0: "#a4161a"}


def vn(value: Decimal, places: int = 2) -> str:
    quantum = Decimal(1).scaleb(-places)
    return str(value.quantize(quantum, rounding=ROUND_HALF_UP)).replace(".", ",")


def ranking_bars(rows: list[tuple[str, Decimal, int]], *, title: str) -> str:
    """Horizontal bars of indices, one per unit: rows of (label, index %, band)."""
    label_width, bar_width, row_height, top = 300, 420, 22, 30
    height = top + row_height * len(rows) + 28
    width = label_width + bar_width + 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-size="14" font-weight="600">{escape(title)}</text>',
    ]
    for tick in (0, 50, 70, 80, 90, 100):
        x = label_width + bar_width * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 22}" '
            f'stroke="#d9dee4" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{height - 8}" font-size="11" text-anchor="middle" '
            f'fill="#5b6875">{tick}</text>'
        )
    for position, (label, index, band) in enumerate(rows):
        y = top + position * row_height
        length = bar_width * float(min(index, Decimal(100))) / 100
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" font-size="12" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row_height - 8}" '
            f'fill="{BAR_COLOURS.get(band, BAR_COLOURS[0])}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 15}" font-size="12">'
            f"{vn(index)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def history_line(points: list[tuple[int, Decimal, int]], *, title: str) -> str:
    """A unit's index across years: points of (year, index %, rank)."""
    width, height, left, right, top, bottom = 520, 200, 70, 70, 30, 40
    if not points:
        return ""
    years = [year for year, _, _ in points]
    span = max(years) - min(years) or 1
    low = min(Decimal(60), min(index for _, index, _ in points))

    def x(year: int) -> float:
        if len(points) == 1:
            return left + (width - left - right) / 2
        return left + (width - left - right) * (year - min(years)) / span

    def y(index: Decimal) -> float:
        return top + (height - top - bottom) * float((Decimal(100) - index) / (Decimal(100) - low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="14" font-weight="600">{escape(title)}</text>',
    ]
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{x(year):.1f},{y(index):.1f}"
        for i, (year, index, _) in enumerate(points)
    )
    parts.append(f'<path d="{path}" fill="none" stroke="#2f6fa3" stroke-width="2"/>')
    for year, index, rank in points:
        parts.append(
            f'<circle cx="{x(year):.1f}" cy="{y(index):.1f}" r="4" fill="#2f6fa3"/>'
            f'<text x="{x(year):.1f}" y="{y(index) - 9:.1f}" font-size="12" '
            f'text-anchor="middle">{vn(index)} (hạng {rank})</text>'
            f'<text x="{x(year):.1f}" y="{height - 14}" font-size="12" '
            f'text-anchor="middle">{year}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
