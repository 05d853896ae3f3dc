"""Charts drawn as SVG on the server: the same drawing serves the page and the PDF.

Plain SVG with real <text> (no script, no external reference), escaped labels, and numbers
written with a decimal comma.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from html import escape

# One colour per band position (the highest first), each at least 4.5:1 on white, and
# told apart by the legend's words too, never by colour alone (WCAG 1.4.1, 1.4.11).
BAND_COLOURS = ("#14632e", "#1d5f99", "#7a5200", "#a4161a", "#5b2a86", "#3d4650")


def band_colour(position: int) -> str:
    return BAND_COLOURS[min(position, len(BAND_COLOURS) - 1)]


def vn(value: Decimal, places: int = 2) -> str:
    quantum = Decimal(1).scaleb(-places)
    return str(value.quantize(quantum, rounding=ROUND_HALF_UP)).replace(".", ",")


def ranking_bars(rows: list[tuple[str, Decimal, Decimal]], *, title: str) -> str:
    """Horizontal bars of indices, one per unit: rows of (label, index %, band's lower
    bound), coloured by band position, with a legend in words."""
    thresholds = sorted({Decimal(band) for _label, _index, band in rows}, reverse=True)
    position = {threshold: place for place, threshold in enumerate(thresholds)}
    label_width, bar_width, row_height, top = 300, 420, 22, 30
    legend_top = top + row_height * len(rows) + 28
    height = legend_top + 22
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
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{legend_top - 22}" '
            f'stroke="#d9dee4" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{legend_top - 8}" font-size="11" text-anchor="middle" '
            f'fill="#4a5561">{tick}</text>'
        )
    for place, (label, index, band) in enumerate(rows):
        y = top + place * row_height
        length = bar_width * min(index, Decimal(100)) / 100  # a Decimal, printed with 1 place
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" font-size="12" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row_height - 8}" '
            f'fill="{band_colour(position[Decimal(band)])}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 15}" font-size="12">'
            f"{vn(index)}</text>"
        )
    x = 0
    for threshold in thresholds:
        words = (
            f"≥ {vn(threshold, 3).rstrip('0').rstrip(',')} %"
            if threshold
            else "dưới ngưỡng thấp nhất"
        )
        parts.append(
            f'<rect x="{x}" y="{legend_top + 4}" width="12" height="12" '
            f'fill="{band_colour(position[threshold])}"/>'
            f'<text x="{x + 16}" y="{legend_top + 15}" font-size="12">Nhóm {escape(words)}</text>'
        )
        x += 130 if threshold else 0
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

    def y(index: Decimal) -> Decimal:
        return top + (height - top - bottom) * (Decimal(100) - index) / (Decimal(100) - low)

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
