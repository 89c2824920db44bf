"""File downloads named in the user's language. Every file a page or the API sends goes
through `attachment()`: Chinese names in RFC 5987/6266 `filename*=UTF-8''…` (every current
browser), with a plain ASCII `filename="…"` first for a client that reads only that.

Every PDF is laid out by `pdf(html)` (WeasyPrint, the system's CJK fonts), which loads only
`data:` URIs — an inline QR code (`qr_data_uri`) or image — and never fetches a URL that
reached the HTML, so a document works on an intranet and cannot be made to call out."""

import base64
import io
import re

from django.http import HttpResponse
from django.utils.http import content_disposition_header

# What no file name may hold on some system (a unit's name is typed by users).
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


def content_disposition(name: str, fallback: str) -> str:
    """`attachment; filename="fallback"; filename*=UTF-8''name` (the name percent-encoded)."""
    if not fallback.isascii() or any(c in fallback for c in '"\\\r\n'):
        raise ValueError(f"not a plain ASCII file name: {fallback!r}")
    name = _UNSAFE.sub("_", name)
    if name.isascii():
        return content_disposition_header(True, name)
    # Django writes filename* alone for a non-ASCII name; keep its encoding, add the fallback.
    encoded = content_disposition_header(True, name).split("filename*=", 1)[1]
    return f'attachment; filename="{fallback}"; filename*={encoded.replace("utf-8", "UTF-8", 1)}'


def attachment(response: HttpResponse, name: str, fallback: str) -> HttpResponse:
    """Mark `response` as a download called `name` (`fallback`: its ASCII name)."""
    response["Content-Disposition"] = content_disposition(name, fallback)
    return response


def pdf(html: str) -> bytes:
    """The PDF of `html`; nothing is fetched but inline `data:` URIs."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG `data:` URI (pages allow `img-src data:`; `pdf()` too)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
