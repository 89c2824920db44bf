"""Template helpers of the briefing page: a figure's change since the day before and its
seven-day trend as a small inline SVG drawn on the server (no script, no style attribute)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()

WIDTH, HEIGHT, PAD = 84, 24, 2


@register.simple_tag
def sparkline(trend: list) -> str:
    """The trend as a polyline (gaps where a day had no data) with a dot on the last value."""
    values = [v for v in trend if v is not None]
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    step = (WIDTH - 2 * PAD) / (len(trend) - 1)

    def point(i, v):
        # A flat trend runs through the middle, not along the bottom edge.
        share = (v - low) / (high - low) if high > low else 0.5
        return round(PAD + i * step, 1), round(HEIGHT - PAD - share * (HEIGHT - 2 * PAD), 1)

    runs: list[list] = [[]]
    for i, v in enumerate(trend):
        if v is None:
            runs.append([])
        else:
            runs[-1].append(point(i, v))
    runs = [r for r in runs if r]
    lines = format_html_join(
        "",
        '<polyline class="spark-line" points="{}"/>',
        ((" ".join(f"{x},{y}" for x, y in r),) for r in runs),
    )
    last = next((point(i, v) for i, v in reversed(list(enumerate(trend))) if v is not None))
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="{}">{}<circle class="spark-dot" cx="{}" cy="{}" r="2"/></svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        _("7-day trend"),
        lines,
        *last,
    )


@register.filter
def change(figure: dict) -> dict:
    """The change since the day before: its text ("+0.5", "−3") and whether it is for the
    better ("good"), the worse ("bad") or neither ("")."""
    value, previous = figure.get("value"), figure.get("previous")
    if value is None or previous is None:
        return {"text": "", "tone": ""}
    delta = value - previous
    text = figure.get("text", "")
    decimals = len(text.rsplit(".", 1)[1]) if "." in text else 0
    if delta == 0:
        return {"text": _("unchanged"), "tone": ""}
    sign = "+" if delta > 0 else "−"
    better = figure.get("better")
    tone = "" if not better else ("good" if (delta > 0) == (better == "up") else "bad")
    return {"text": f"{sign}{abs(delta):,.{decimals}f}", "tone": tone}


@register.filter
def section_number(index: int, language: str) -> str:
    """一、二、三 in Chinese; 1. 2. 3. in English."""
    if language == "en" or not 0 < index < 100:
        return f"{index}. "
    tens, ones = divmod(index, 10)
    digits = "零一二三四五六七八九"
    text = (
        (digits[tens] if tens > 1 else "") + ("十" if tens else "") + (digits[ones] if ones else "")
    )
    return f"{text}、"
