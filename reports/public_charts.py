"""Charts drawn as SVG on the server: the same drawing serves the page and the PDF.

Plain SVG with real <text> (no script, no external reference), escaped labels, and numbers
written with a decimal comma.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from html import escape

# One colour per band position (the highest first), each at least 4.5:1 on white, and
# told apart by the legend's words too, never by colour alone (WCAG 1.4.1, 1.4.11).
BAND_COLOURS = ("#14632e", "#1d5f99", "#7a5200", "#a4161a", "#5b2a86", "#3d4650")


def band_colour(position: int) -> str:
    return BAND_COLOURS[min(position, len(BAND_COLOURS) - 1)]


def vn(value: Decimal, places: int = 2) -> str:
    quantum = Decimal(1).scaleb(-places)
    return str(value.quantize(quantum, rounding=ROUND_HALF_UP)).replace(".", ",")


def ranking_bars(rows: list[tuple], *, title: str) -> str:
    """Horizontal bars of indices, one per unit: rows of (label, index %, band's lower
    bound[, band's name]), coloured by band position, with a legend in words (the band's
    configured name when it has one)."""
    names = {Decimal(row[2]): row[3] for row in rows if len(row) > 3 and row[3]}
    rows = [row[:3] for row in rows]
    thresholds = sorted({Decimal(band) for _label, _index, band in rows}, reverse=True)
    position = {threshold: place for place, threshold in enumerate(thresholds)}
    label_width, bar_width, row_height, top = 300, 420, 22, 30
    legend_top = top + row_height * len(rows) + 28
    width = label_width + bar_width + 70
    legend, x, line = [], 0, 0
    for threshold in thresholds:
        words = (
            f"≥ {vn(threshold, 3).rstrip('0').rstrip(',')} %"
            if threshold
            else "dưới ngưỡng thấp nhất"
        )
        if threshold in names:
            words = f"{names[threshold]} ({words})"
        needed = max(130, 24 + 7 * len(f"Nhóm {words}"))
        if x and x + needed > width:  # a legend too wide for one line wraps
            x, line = 0, line + 1
        legend.append((threshold, words, x, legend_top + 20 * line))
        x += needed
    height = legend_top + 22 + 20 * line
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-size="0.875rem" font-weight="600">{escape(title)}</text>',
    ]
    for tick in (0, 50, 70, 80, 90, 100):
        x = label_width + bar_width * Decimal(tick) / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{legend_top - 22}" '
            f'stroke="#d9dee4" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{legend_top - 8}" font-size="0.6875rem" text-anchor="middle" '
            f'fill="#4a5561">{tick}</text>'
        )
    for place, (label, index, band) in enumerate(rows):
        y = top + place * row_height
        length = bar_width * min(index, Decimal(100)) / 100  # a Decimal, printed with 1 place
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" font-size="0.75rem" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row_height - 8}" '
            f'fill="{band_colour(position[Decimal(band)])}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 15}" font-size="0.75rem">'
            f"{vn(index)}</text>"
        )
    for threshold, words, x, y in legend:
        parts.append(
            f'<rect x="{x}" y="{y + 4}" width="12" height="12" '
            f'fill="{band_colour(position[threshold])}"/>'
            f'<text x="{x + 16}" y="{y + 15}" font-size="0.75rem">Nhóm {escape(words)}</text>'
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

    def x(year: int) -> Decimal:
        if len(points) == 1:
            return left + Decimal(width - left - right) / 2
        return left + Decimal(width - left - right) * (year - min(years)) / span

    def y(index: Decimal) -> Decimal:
        return top + (height - top - bottom) * (Decimal(100) - index) / (Decimal(100) - low)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="0.875rem" font-weight="600">{escape(title)}</text>',
    ]
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{x(year):.1f},{y(index):.1f}"
        for i, (year, index, _) in enumerate(points)
    )
    parts.append(f'<path d="{path}" fill="none" stroke="#2f6fa3" stroke-width="2"/>')
    for year, index, rank in points:
        parts.append(
            f'<circle cx="{x(year):.1f}" cy="{y(index):.1f}" r="4" fill="#2f6fa3"/>'
            f'<text x="{x(year):.1f}" y="{y(index) - 9:.1f}" font-size="0.75rem" '
            f'text-anchor="middle">{vn(index)} (hạng {rank})</text>'
            f'<text x="{x(year):.1f}" y="{height - 14}" font-size="0.75rem" '
            f'text-anchor="middle">{year}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _floor_ten(value: Decimal) -> Decimal:
    return (value / 10).to_integral_value(rounding=ROUND_FLOOR) * 10


def sipas_bars(
    rows: list[tuple[str, Decimal, Decimal | None, Decimal | None]],
    *,
    title: str,
    pooled: tuple[str, Decimal, Decimal | None, Decimal | None] | None = None,
) -> str:
    """The satisfaction index (DOMAIN §8), one bar per unit with its 95 % interval as a
    whisker: rows of (label, index %, low, high). `pooled` (the block's figure) is drawn
    first, set apart in bold. The axis starts at the tens below the lowest figure."""
    if not rows and pooled is None:
        return ""
    drawn = ([pooled] if pooled else []) + list(rows)
    lowest = min(
        min(low if low is not None else index, index) for _label, index, low, _high in drawn
    )
    start = min(Decimal(80), max(Decimal(0), _floor_ten(lowest)))
    label_width, bar_width, row_height, top = 300, 420, 22, 30
    axis_bottom = top + row_height * len(drawn) + 6
    height = axis_bottom + 24
    width = label_width + bar_width + 120

    def x(value: Decimal) -> Decimal:
        value = min(max(value, start), Decimal(100))
        return label_width + bar_width * (value - start) / (Decimal(100) - start)

    description = (
        f"Thanh: chỉ số hài lòng (%); vạch ngang: khoảng tin cậy 95 %; trục từ {vn(start, 0)} "
        "đến 100."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}. {escape(description)}" '
        'class="chart">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description)}</desc>",
        f'<text x="0" y="18" font-size="0.875rem" font-weight="600">{escape(title)}</text>',
    ]
    step = Decimal(5) if Decimal(100) - start <= 30 else Decimal(10)
    tick = start
    while tick <= 100:
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{top - 4}" x2="{x(tick):.1f}" y2="{axis_bottom}" '
            f'stroke="#d9dee4" stroke-width="1"/>'
            f'<text x="{x(tick):.1f}" y="{axis_bottom + 16}" font-size="0.6875rem" '
            f'text-anchor="middle" fill="#4a5561">{vn(tick, 0)}</text>'
        )
        tick += step
    for place, (label, index, low, high) in enumerate(drawn):
        y = top + place * row_height
        is_pooled = pooled is not None and place == 0
        weight = ' font-weight="700"' if is_pooled else ""
        colour = "#14632e" if is_pooled else "#1d5f99"
        end = x(index)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" font-size="0.75rem" text-anchor="end"{weight}>'
            f"{escape(label)}</text>"
            f'<rect x="{label_width}" y="{y + 4}" width="{end - label_width:.1f}" '
            f'height="{row_height - 8}" fill="{colour}"/>'
        )
        right = end
        if low is not None and high is not None:
            middle = y + row_height // 2
            parts.append(
                f'<line x1="{x(low):.1f}" y1="{middle}" x2="{x(high):.1f}" y2="{middle}" '
                'stroke="#1b1f24" stroke-width="1.5"/>'
                f'<line x1="{x(low):.1f}" y1="{middle - 5}" x2="{x(low):.1f}" y2="{middle + 5}" '
                'stroke="#1b1f24" stroke-width="1.5"/>'
                f'<line x1="{x(high):.1f}" y1="{middle - 5}" x2="{x(high):.1f}" '
                f'y2="{middle + 5}" stroke="#1b1f24" stroke-width="1.5"/>'
            )
            right = max(end, x(high))
        parts.append(
            f'<text x="{right + 6:.1f}" y="{y + 15}" font-size="0.75rem"{weight}>{vn(index)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
