"""The briefing as an A4 PDF: an HTML page laid out by WeasyPrint, the Noto CJK fonts
embedded (subset), the trend charts inline SVG, page numbers in the footer."""

import re
from functools import cache
from pathlib import Path

from django.template import Context, Engine

from headwater.briefing.formats import charts
from headwater.briefing.formats.layout import cell_text, text_width
from headwater.core import downloads

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _engine() -> Engine:
    # A template engine of its own: the formats render without the briefing app installed
    # and without the project's template directories.
    return Engine(dirs=[str(TEMPLATES)], builtins=["django.templatetags.i18n"], autoescape=True)


def page_content(template: str) -> str:
    """The footer's CSS `content` from the words "Page %(page)s of %(pages)s" in the
    document's language: text parts quoted, the placeholders as page counters."""
    parts = re.split(r"(%\((?:page|pages)\)s)", template)
    out = []
    for part in parts:
        if part == "%(page)s":
            out.append("counter(page)")
        elif part == "%(pages)s":
            out.append("counter(pages)")
        elif part:
            out.append('"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(out) or "counter(page)"


def _number_like(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def column_widths(header: list, cells: list[list]) -> list[int]:
    """Each column's share of the width in %, by the longest text in its first rows: the
    tables are laid out `fixed` (measuring every cell of a 500-row table took seconds)."""
    sample = [[str(h) for h in header], *[[c for c, _ in row] for row in cells[:200]]]
    count = max((len(row) for row in sample), default=0)
    need = [4] * count
    for row in sample:
        for i, text in enumerate(row):
            need[i] = max(need[i], min(text_width(text), 40))
    total = sum(need) or 1
    return [round(100 * n / total) for n in need]


def html(prepared: dict) -> str:
    """The HTML WeasyPrint lays out (also handy to look at in a browser)."""
    for section in prepared["sections"]:
        for f in section["figures"]:
            f["svg"] = charts.sparkline_svg(f.get("trend") or [], f.get("better", ""))
        for t in section["tables"]:
            t["cells"] = [
                [(cell_text(c), _number_like(c)) for c in row] for row in t["printed_rows"]
            ]
            t["widths"] = column_widths(t.get("header", []), t["cells"])
    context = {
        "doc": prepared,
        "w": prepared["words"],
        "number_line": prepared["number_line"],
        "colon": prepared["colon"],
        "page_content": page_content(prepared["words"]["page"]),
    }
    template = _engine().get_template("briefing.html")
    return template.render(Context(context))


def render(prepared: dict) -> bytes:
    return downloads.pdf(html(prepared))
