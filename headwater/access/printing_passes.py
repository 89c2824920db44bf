"""The printed pass cards as a PDF (core.downloads.pdf): credit-card-sized cards, ten an A4
page, each with the name, unit, masked ID number, the QR code of its signed token, its serial
and its end date. Used by the cards page and the API alike."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from headwater.access.models import PassCard
from headwater.access.services.passes import card_token
from headwater.core import privacy
from headwater.core.downloads import attachment, pdf, qr_data_uri

PER_PAGE = 10


def card_row(card: PassCard) -> dict:
    """What a printed card shows: the ID number masked, the QR of a freshly signed token."""
    return {
        "card": card,
        "name": card.person.name,
        "unit": card.person.unit.name,
        "id_number": privacy.mask_id_number(card.person.id_number),
        "qr": qr_data_uri(card_token(card)),
    }


def cards_pdf(cards: list[PassCard], organization) -> bytes:
    rows = [card_row(card) for card in cards]
    pages = [rows[i : i + PER_PAGE] for i in range(0, len(rows), PER_PAGE)]
    html = render_to_string(
        "access/passes_cards_pdf.html", {"pages": pages, "organization": organization}
    )
    return pdf(html)


def pdf_response(cards: list[PassCard], organization):
    from django.http import HttpResponse

    response = HttpResponse(cards_pdf(cards, organization), content_type="application/pdf")
    name = cards[0].serial if len(cards) == 1 else str(len(cards))
    return attachment(response, f"{_('Pass cards')} {name}.pdf", f"pass-cards-{name}.pdf")
