"""Batches laid out over sites and days, edited; notices sent once per batch to its unit
(unless sent again); the outsiders' printable list per company."""

import datetime as dt
import subprocess

import pytest
from django.utils import timezone

from headwater.core import clock
from headwater.core.errors import DomainError, NotAllowed
from headwater.notices.models import Notice, Receipt
from headwater.testing.inputs_setup import BatchInput, BatchPlanInput, SiteInput
from headwater.testing.models import Batch, BatchNotice, RosterEntry
from headwater.testing.services import setup, setup_batches, setup_notices, setup_roster
from headwater.testing.tests.factories import make_campaign, roster_outsider


def local(batch):
    return (
        timezone.localtime(batch.starts_at).strftime("%m-%d %H:%M"),
        timezone.localtime(batch.ends_at).strftime("%H:%M"),
    )


@pytest.fixture
def planned(org, office_user, tree):
    """Two sites, two days; plant 1 and plant 2 on the roster and one outside company."""
    campaign = make_campaign(org, days=2, sites=("一号采样点", "二号采样点"))
    setup_roster.add_units(campaign, [tree["company"].pk], by=office_user)
    roster_outsider(campaign)
    return campaign


def test_batches_are_one_per_unit_and_company_spread_over_sites_and_days(
    planned, office_user, tree
):
    made, created = setup_batches.generate_batches(
        planned, BatchPlanInput.parse({"start": "09:00", "minutes": 40}), by=office_user
    )
    assert (made, created) == (5, True)
    day1 = clock.today().strftime("%m-%d")
    day2 = (clock.today() + dt.timedelta(days=1)).strftime("%m-%d")
    rows = [
        (b.label, b.site.name, *local(b))
        for b in Batch.objects.filter(campaign=planned).order_by("starts_at", "site_id")
    ]
    assert rows == [
        ("金溪水务集团", "一号采样点", f"{day1} 09:00", "09:40"),
        ("第一水厂", "二号采样点", f"{day1} 09:00", "09:40"),
        ("运行甲班", "一号采样点", f"{day1} 09:40", "10:20"),
        ("第二水厂", "一号采样点", f"{day2} 09:00", "09:40"),
        ("江河建设", "二号采样点", f"{day2} 09:00", "09:40"),
    ]
    assert RosterEntry.objects.filter(campaign=planned, batch__isnull=True).count() == 0
    outsider = RosterEntry.objects.get(campaign=planned, outsider__isnull=False)
    assert (outsider.batch.company, outsider.site.name) == ("江河建设", "二号采样点")


def test_generating_again_makes_nothing_for_people_who_have_a_batch(planned, office_user):
    setup_batches.generate_batches(planned, BatchPlanInput.parse({}), by=office_user)
    made, created = setup_batches.generate_batches(
        planned, BatchPlanInput.parse({}), by=office_user
    )
    assert (made, created) == (0, False)
    assert Batch.objects.filter(campaign=planned).count() == 5


def test_windows_that_do_not_fit_are_refused_and_nothing_is_made(planned, office_user):
    plan = BatchPlanInput.parse({"start": "17:00", "minutes": 60, "day_end": "18:00"})
    with pytest.raises(DomainError) as e:
        setup_batches.generate_batches(planned, plan, by=office_user)
    assert e.value.code == "batches_do_not_fit"
    assert Batch.objects.count() == 0


def test_a_batch_moved_to_another_site_moves_its_people(planned, office_user):
    setup_batches.generate_batches(planned, BatchPlanInput.parse({}), by=office_user)
    batch = Batch.objects.get(label="第二水厂")
    other = planned.sites.exclude(pk=batch.site_id).get()
    start = timezone.localtime(batch.starts_at).replace(hour=14, minute=0)
    data = BatchInput.parse(
        {
            "label": "二厂全体",
            "site_id": other.pk,
            "starts_at": start,
            "ends_at": start.replace(hour=15),
        },
        batch,
    )
    setup_batches.edit_batch(batch, data, by=office_user)
    assert set(RosterEntry.objects.filter(batch=batch).values_list("site_id", flat=True)) == {
        other.pk
    }
    assert local(Batch.objects.get(pk=batch.pk))[1] == "15:00"


def test_a_window_outside_the_campaign_days_is_refused(planned, office_user):
    setup_batches.generate_batches(planned, BatchPlanInput.parse({}), by=office_user)
    batch = Batch.objects.get(label="第二水厂")
    late = timezone.localtime(batch.starts_at) + dt.timedelta(days=5)
    with pytest.raises(DomainError) as e:
        BatchInput.parse(
            {"label": "x", "starts_at": late, "ends_at": late + dt.timedelta(hours=1)}, batch
        )
    assert list(e.value.fields) == ["starts_at"]


def test_notices_go_once_per_unit_batch_with_site_window_and_what_to_bring(
    planned, office_user, people
):
    setup.save_site(
        planned,
        SiteInput.parse({"name": "一号采样点", "address": "厂区东门"}, planned.organization),
        by=office_user,
        site=planned.sites.order_by("pk").first(),
    )
    setup_batches.generate_batches(planned, BatchPlanInput.parse({}), by=office_user)
    sent, created = setup_notices.send_notices(planned, by=office_user)
    assert (sent, created) == (4, True)  # the outside company has no inbox
    notice = Notice.objects.get(title__contains="第一水厂")
    window = setup_notices.window(Batch.objects.get(label="第一水厂"))
    assert notice.title == f"全员核酸检测（第1轮）：第一水厂，{window}"
    assert notice.body == (
        f"核酸检测“全员核酸检测（第1轮）”。第一水厂：请于 {window} 到 二号采样点 采样。"
        "请携带：身份证、口罩。"
    )
    assert Receipt.objects.filter(notice=notice, person=people["operator"]).exists()
    again, created = setup_notices.send_notices(planned, by=office_user)
    assert (again, created) == (0, False)
    assert Notice.objects.count() == 4
    resent, _c = setup_notices.send_notices(planned, by=office_user, resend=True)
    assert resent == 4
    assert BatchNotice.objects.count() == 8


def test_a_unit_head_may_not_send_notices(planned, unit_head_user):
    with pytest.raises(NotAllowed):
        setup_notices.send_notices(planned, by=unit_head_user)
    assert BatchNotice.objects.count() == 0


def test_the_outsiders_list_per_company_masks_phones(planned, office_user, client):
    setup_batches.generate_batches(planned, BatchPlanInput.parse({}), by=office_user)
    rows = setup_notices.outsider_rows(planned, "江河建设")
    assert [(r["name"], r["phone"], r["site"]) for r in rows] == [
        ("周民工", "137****1111", "二号采样点")
    ]
    client.force_login(office_user)
    response = client.get(f"/testing/campaigns/{planned.pk}/outsiders.pdf?company=江河建设")
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "周民工" in text and "137****1111" in text and "13700001111" not in text
    response = client.get(f"/testing/campaigns/{planned.pk}/outsiders.xlsx")
    assert response.status_code == 200
