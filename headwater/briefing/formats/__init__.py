"""The briefing document (docs: "the briefing document") as files: PDF, Word and Excel.

`render(doc, fmt)` is the one entry point; every format lays out the same document, in the
document's own language, whatever the request's language is. `charts.sparkline_svg` /
`sparkline_png` draw the 7-day trends (the web page may use them too).
"""

from django.utils import translation

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {fmt: f".{fmt}" for fmt in CONTENT_TYPES}


def render(doc: dict, fmt: str) -> bytes:
    """The document as a file of the format `fmt` ("pdf", "docx" or "xlsx")."""
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"unknown briefing format {fmt!r}")
    from headwater.briefing.formats import excel, layout, pdf, word

    renderer = {"pdf": pdf.render, "docx": word.render, "xlsx": excel.render}[fmt]
    with translation.override(doc.get("language") or "zh-hans"):
        return renderer(layout.prepare(layout.clean(doc)))
