"""Tube labels printed before the day: a sheet of N new unused tubes with unique barcodes (the
campaign's sequence, `LabelSheet.barcode`), as an A4 PDF of QR codes with the barcode text
under each (5 × 13 a page). A retried request (same Idempotency-Key) prints the same sheet and
makes no tube twice. `label_png(barcode)` draws one label's QR code as PNG (the desk's tests
scan it through the camera)."""

import io

from django.db import transaction
from django.db.models import F, Max
from django.template.loader import render_to_string

from headwater.core.audit import acting_as
from headwater.core.downloads import pdf, qr_data_uri
from headwater.core.writes import Written, idempotent
from headwater.testing.choices import TubeKind
from headwater.testing.inputs_setup import LabelsInput
from headwater.testing.models import Campaign, LabelSheet, Tube
from headwater.testing.services.setup import locked_campaign, require_manager

COLUMNS, ROWS = 5, 13
PER_PAGE = COLUMNS * ROWS


def print_labels(
    campaign: Campaign, data: LabelsInput, *, by, key: str = ""
) -> Written[LabelSheet]:
    """Make `data.count` unused pooled tubes (places: the pooling size) numbered on from the
    campaign's last sheet, and the sheet that prints them."""
    require_manager(by, campaign.organization_id)
    return idempotent(
        "testing.print_labels",
        by=by,
        key=key,
        model=LabelSheet,
        write=lambda: _print(campaign, data.count, by=by),
    )


def _print(campaign: Campaign, count: int, *, by) -> Written[LabelSheet]:
    with transaction.atomic(), acting_as(by):
        locked = locked_campaign(campaign)
        last = LabelSheet.objects.filter(campaign=locked).aggregate(n=Max(F("first") + F("count")))[
            "n"
        ]
        sheet = LabelSheet.objects.create(
            organization_id=locked.organization_id,
            campaign=locked,
            first=last or 1,
            count=count,
            printed_by=by if getattr(by, "pk", None) else None,
        )
        Tube.objects.bulk_create(
            Tube(
                organization_id=locked.organization_id,
                campaign=locked,
                barcode=barcode,
                kind=TubeKind.POOL,
                capacity=locked.pool_size,
            )
            for barcode in sheet.barcodes()
        )
    return sheet, True


def sheet_pdf(sheet: LabelSheet) -> bytes:
    """The sheet as an A4 PDF: a grid of labels, each a QR code and its barcode text."""
    labels = [{"barcode": b, "qr": qr_data_uri(b)} for b in sheet.barcodes()]
    pages = [
        [labels[i : i + COLUMNS] for i in range(start, min(start + PER_PAGE, len(labels)), COLUMNS)]
        for start in range(0, len(labels), PER_PAGE)
    ]
    html = render_to_string(
        "testing/setup_labels_pdf.html",
        {"sheet": sheet, "campaign": sheet.campaign, "pages": pages},
    )
    return pdf(html)


def label_png(barcode: str) -> bytes:
    """One label's QR code as a PNG image (for a scanner test or a single reprint)."""
    import qrcode

    image = qrcode.make(barcode, border=4, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
