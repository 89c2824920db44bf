"""The isolation notice (隔离通知书) and the release certificate (解除隔离证明) of a case, as PDF
(WeasyPrint, the system's CJK font, like the activation sheet), each with a QR code of a
verification link. The link carries a signed token (django.core.signing), not the case id
in the clear: only a document this server issued opens the page, and it shows only what the
paper shows anyway — organization, masked name, kind, dates, state (ADR 0022)."""

from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse

from headwater.core import clock, downloads, levels
from headwater.isolation.models import Case

SALT = "isolation.verify"
NOTICE, RELEASE = "notice", "release"


def token(case: Case, document: str) -> str:
    return signing.dumps({"c": case.pk, "d": document}, salt=SALT)


def case_of(raw: str) -> tuple[int, str] | None:
    """The case id and document a token names, None for a forged or damaged one."""
    try:
        value = signing.loads(raw[:200], salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("d") not in (NOTICE, RELEASE):
        return None
    pk = value.get("c")
    return (pk, value["d"]) if isinstance(pk, int) else None


def render(case: Case, document: str, verify_url: str) -> bytes:
    """The PDF of `document` (NOTICE or RELEASE) of `case`."""
    org = case.organization
    context = {
        "case": case,
        "document": document,
        "organization": org,
        "rules": levels.value(org, "isolation.rules").splitlines(),
        "office_phone": levels.value(org, "health.office_phone"),
        "qr": downloads.qr_data_uri(verify_url),
        "verify_url": verify_url,
        "today": clock.today(),
    }
    html = render_to_string("isolation/documents_pdf.html", context)
    return downloads.pdf(html)


def verify_path(case: Case, document: str) -> str:
    return reverse("isolation:verify", args=[token(case, document)])
