"""The briefing document (docs: "the briefing document") as files: PDF, Word and Excel.

`render(doc, fmt)` is the one entry point; every format lays out the same document, in the
document's own language, whatever the request's language is. `charts.sparkline_svg` /
`sparkline_png` draw the 7-day trends (the web page may use them too).
"""

import re

from django.utils import translation

from headwater.briefing.formats import layout

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {fmt: f".{fmt}" for fmt in CONTENT_TYPES}
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')  # not in a file name on any system


def filename(doc: dict, fmt: str) -> tuple[str, str]:
    """(the file's name in the document's language, an ASCII name) for a download:
    "长沙水务集团疫情防控工作日报 2026年第338期（第2版）.pdf", "briefing-2026-12-03-v2.pdf"."""
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"unknown briefing format {fmt!r}")
    with translation.override(doc.get("language") or "zh-hans"):
        number = layout.number_line(doc, layout.words())
    name = " ".join(UNSAFE.sub(" ", f"{doc.get('title', '')} {number}").split()) or "briefing"
    version = doc.get("version") or 1
    suffix = f"-v{version}" if version > 1 else ""
    return f"{name}{EXTENSIONS[fmt]}", f"briefing-{doc.get('day', '')}{suffix}{EXTENSIONS[fmt]}"


def render(doc: dict, fmt: str) -> bytes:
    """The document as a file of the format `fmt` ("pdf", "docx" or "xlsx")."""
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"unknown briefing format {fmt!r}")
    from headwater.briefing.formats import excel, pdf, word

    renderer = {"pdf": pdf.render, "docx": word.render, "xlsx": excel.render}[fmt]
    with translation.override(doc.get("language") or "zh-hans"):
        return renderer(layout.prepare(layout.clean(doc)))
