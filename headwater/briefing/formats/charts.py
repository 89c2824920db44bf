"""Sparklines: the small 7-day trend drawn beside a key figure, as SVG text (the PDF and the
web page) and as PNG bytes (the Word file). Drawn on the server from the figure's `trend`
(oldest first, None where there was no data: the line breaks there); nothing is fetched.

No Django here, so the web page and any script can use it.
"""

import io
from html import escape

# The last point says whether the day went the good or the bad way.
LINE = "#41566e"
GOOD = "#1f7a3a"
BAD = "#c0242b"
FLAT = "#41566e"


def end_colour(values: list, better: str) -> str:
    """The colour of the last point: the day's value against the day before, by `better`."""
    known = [v for v in values[-2:] if v is not None]
    if len(values) < 2 or len(known) < 2 or better not in ("up", "down") or known[0] == known[1]:
        return FLAT
    rose = known[1] > known[0]
    return GOOD if rose == (better == "up") else BAD


def _points(values: list, width: float, height: float, pad: float) -> list[tuple | None]:
    """Each value as an (x, y) inside the box, None kept as a gap."""
    known = [v for v in values if v is not None]
    if not known:
        return [None] * len(values)
    low, high = min(known), max(known)
    span = (high - low) or 1
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    flat = low == high
    out = []
    for i, v in enumerate(values):
        if v is None:
            out.append(None)
            continue
        y = height / 2 if flat else pad + (high - v) / span * (height - 2 * pad)
        out.append((pad + i * step, y))
    return out


def _runs(points: list[tuple | None]) -> list[list[tuple]]:
    """The unbroken stretches of points between gaps."""
    runs, run = [], []
    for p in points:
        if p is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append(p)
    if run:
        runs.append(run)
    return runs


def sparkline_svg(
    values: list, better: str = "", width: int = 80, height: int = 20, label: str = ""
) -> str:
    """An inline <svg> of the values (no data at all: an empty box). `label` is its title
    for screen readers."""
    points = _points(values, width, height, 2.5)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img"'
        + (f' aria-label="{escape(label, quote=True)}"' if label else "")
        + ">"
    ]
    for run in _runs(points):
        if len(run) == 1:
            x, y = run[0]
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1" fill="{LINE}"/>')
            continue
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{LINE}" stroke-width="1.2" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    if points and points[-1] is not None:
        x, y = points[-1]
        colour = end_colour(values, better)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="{colour}"/>')
    parts.append("</svg>")
    return "".join(parts)


def sparkline_png(values: list, better: str = "", width: int = 80, height: int = 20) -> bytes:
    """The same drawing as a PNG, `width`×`height` points drawn at 4× and scaled down so the
    line is smooth (Pillow draws without anti-aliasing)."""
    from PIL import Image, ImageDraw

    scale = 4
    w, h = width * scale, height * scale
    image = Image.new("RGBA", (w, h), (255, 255, 255, 0))  # transparent: never hides a border
    draw = ImageDraw.Draw(image)
    points = _points(values, w, h, 2.5 * scale)
    for run in _runs(points):
        if len(run) == 1:
            _dot(draw, run[0], 1 * scale, LINE)
        else:
            draw.line(run, fill=LINE, width=int(1.2 * scale), joint="curve")
    if points and points[-1] is not None:
        _dot(draw, points[-1], 2 * scale, end_colour(values, better))
    # 2× the nominal size keeps it sharp when Word prints it at the nominal size.
    image = image.resize((width * 2, height * 2), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()


def _dot(draw, centre: tuple, radius: float, colour: str) -> None:
    x, y = centre
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
