"""Personal data is masked by default; full views need the role and are logged."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from headwater.core.privacy import mask_id_number, mask_phone


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13912345678", "139****5678"),
        ("0731-8888888", "073****8888"),
        ("", ""),
        ("123", "***"),
    ],
)
def test_phone_is_masked(raw, masked):
    assert mask_phone(raw) == masked


def test_id_number_keeps_only_region_prefix_and_last_four():
    assert mask_id_number("330784199001011231") == "3307**********1231"


def test_person_page_shows_masked_data_by_default(client, office_user, people):
    client.force_login(office_user)
    page = client.get(reverse("core:person", args=[people["operator"].pk])).content.decode()
    assert "139****5678" in page
    assert "13912345678" not in page


def test_reveal_on_the_page_shows_full_data_and_logs_the_view(client, office_user, people):
    client.force_login(office_user)
    person = people["operator"]
    page = client.post(
        reverse("core:person_reveal", args=[person.pk]), {"purpose": "核实联系方式"}
    ).content.decode()
    assert "13912345678" in page
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert (entry.object_pk, entry.actor, entry.changes["purpose"][1]) == (
        str(person.pk),
        office_user,
        "核实联系方式",
    )


def test_unit_head_cannot_reveal(client, unit_head_user, people):
    client.force_login(unit_head_user)
    page = client.post(
        reverse("core:person_reveal", args=[people["operator"].pk]), {"purpose": "x"}, follow=True
    ).content.decode()
    assert "13912345678" not in page
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == 0


def test_people_list_masks_every_row(client, office_user, people):
    client.force_login(office_user)
    page = client.get(reverse("core:people")).content.decode()
    assert "13912345678" not in page
    assert "139****5678" in page
