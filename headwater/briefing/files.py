"""A briefing version as a file, through the formats' one entry point
(`headwater.briefing.formats.render(doc, fmt)`), named in the document's language."""

from django.http import HttpResponse

from headwater.core.downloads import attachment

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LABELS = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel"}


def file_names(doc: dict, fmt: str) -> tuple[str, str]:
    """疫情防控工作日报-2026-12-03.pdf (English: daily-briefing-2026-12-03.pdf), and the ASCII
    fallback."""
    stem = "daily-briefing" if doc.get("language") == "en" else "疫情防控工作日报"
    return f"{stem}-{doc['day']}.{fmt}", f"daily-briefing-{doc['day']}.{fmt}"


def render(doc: dict, fmt: str) -> bytes:
    from headwater.briefing import formats

    return formats.render(doc, fmt)


def response(doc: dict, fmt: str) -> HttpResponse:
    """The download of `doc` in `fmt` (one of FORMATS)."""
    name, fallback = file_names(doc, fmt)
    return attachment(HttpResponse(render(doc, fmt), content_type=FORMATS[fmt]), name, fallback)
