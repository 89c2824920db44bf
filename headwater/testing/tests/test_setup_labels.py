"""Tube label sheets: N new unused tubes with unique barcodes numbered on per campaign, once per
request key; the PDF carries every barcode; one label as a PNG."""

import io
import subprocess

import pytest
from pypdf import PdfReader

from headwater.core.errors import DomainError, NotAllowed
from headwater.testing.choices import CampaignState
from headwater.testing.inputs_setup import LabelsInput
from headwater.testing.models import LabelSheet, Tube
from headwater.testing.services import setup_labels
from headwater.testing.tests.factories import make_campaign


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_printing_makes_unused_tubes_numbered_on_from_the_last_sheet(campaign, office_user):
    first, created = setup_labels.print_labels(campaign, LabelsInput(3), by=office_user)
    second, _c = setup_labels.print_labels(campaign, LabelsInput(2), by=office_user)
    prefix = f"C{campaign.pk:04d}"
    assert created is True
    assert second.barcodes() == [f"{prefix}00004", f"{prefix}00005"]
    tubes = Tube.objects.filter(campaign=campaign).order_by("barcode")
    assert [(t.barcode, t.state, t.capacity, t.kind) for t in tubes][:1] == [
        (f"{prefix}00001", "unused", 5, "pool")
    ]
    assert tubes.count() == 5
    assert str(first) == f"{prefix}00001–{prefix}00003"


def test_the_same_request_key_prints_the_same_sheet_once(campaign, office_user):
    sheet, created = setup_labels.print_labels(campaign, LabelsInput(4), by=office_user, key="k1")
    again, created_again = setup_labels.print_labels(
        campaign, LabelsInput(4), by=office_user, key="k1"
    )
    assert (again.pk, created, created_again) == (sheet.pk, True, False)
    assert Tube.objects.count() == 4


def test_two_campaigns_never_share_a_barcode(org, campaign, office_user):
    other = make_campaign(org, name="第2轮")
    a, _c = setup_labels.print_labels(campaign, LabelsInput(2), by=office_user)
    b, _c = setup_labels.print_labels(other, LabelsInput(2), by=office_user)
    assert set(a.barcodes()).isdisjoint(b.barcodes())


def test_a_bad_count_is_refused(db):
    for raw in ("0", "abc", "5000"):
        with pytest.raises(DomainError) as e:
            LabelsInput.parse({"count": raw})
        assert list(e.value.fields) == ["count"]


def test_a_closed_campaign_gets_no_labels_and_a_desk_operator_prints_none(
    org, office_user, desk_user, campaign
):
    with pytest.raises(NotAllowed):
        setup_labels.print_labels(campaign, LabelsInput(2), by=desk_user)
    closed = make_campaign(org, name="旧", state=CampaignState.CLOSED)
    with pytest.raises(DomainError) as e:
        setup_labels.print_labels(closed, LabelsInput(2), by=office_user)
    assert e.value.code == "campaign_closed"
    assert (Tube.objects.count(), LabelSheet.objects.count()) == (0, 0)


def test_the_sheet_pdf_carries_every_barcode_on_a_5_by_13_grid(campaign, office_user):
    sheet, _c = setup_labels.print_labels(campaign, LabelsInput(70), by=office_user)
    data = setup_labels.sheet_pdf(sheet)
    text = pdf_text(data)
    assert all(barcode in text for barcode in sheet.barcodes())
    assert len(PdfReader(io.BytesIO(data)).pages) == 2  # 65 labels a page


def test_a_label_png_is_a_png_of_a_qr_code():
    data = setup_labels.label_png("C000100001")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
