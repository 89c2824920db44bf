"""The briefing pages: the archive, one briefing with its versions and changes, downloads,
generate and send; who may open them (office and leader), who may not."""

import pytest
from django.core import mail

from headwater.briefing import services
from headwater.briefing.formats.layout import PRINTED_ROWS
from headwater.briefing.models import Briefing, Dispatch

from .conftest import DAY


@pytest.fixture
def versions(org, fake_sections, morning):
    first, _ = services.generate(org, DAY)
    fake_sections.busy = True
    fake_sections.abnormal = 5
    second, _ = services.generate(org, DAY)
    return first, second


def test_the_archive_lists_each_days_latest_version_with_its_count(client, office_user, versions):
    client.force_login(office_user)

    response = client.get("/briefings/")

    assert response.status_code == 200
    assert list(response.context["page"]) == [versions[1]]
    assert response.context["page"][0].versions == 2
    assert "2 个版本" in response.content.decode()
    assert "3 项需关注" in response.content.decode()


def test_a_leader_reads_the_briefing_in_chinese(client, leader_user, versions):
    client.force_login(leader_user)
    second = versions[1]

    response = client.get(f"/briefings/{second.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "金溪水务集团疫情防控工作日报" in page
    assert "今日要点" in page
    assert "逾期未办1项：第二水厂未按时报送日报。" in page
    assert "一、健康打卡" in page
    assert "第 2 版的变化" in page
    assert "异常人数：0 → 5人。" in page
    assert '<svg class="sparkline"' in page
    assert 'data-testid="office-actions"' not in page  # a leader reads, the office sends


def test_an_old_version_stays_readable_and_says_it_is_not_the_latest(client, office_user, versions):
    client.force_login(office_user)

    page = client.get(f"/briefings/{versions[0].pk}/").content.decode()

    assert "这是第 1 版，不是最新版本。" in page
    assert "全集团各项指标正常，无异常情况报告（零报告）。" in page


def test_the_page_follows_the_users_language(client, office_user, versions):
    client.force_login(office_user)
    client.cookies["django_language"] = "en"

    page = client.get(f"/briefings/{versions[1].pk}/").content.decode()

    assert "Key points of the day" in page
    assert "Overdue (1): 第二水厂未按时报送日报." in page
    assert "1. Health check-ins" in page


def test_downloads_are_named_in_chinese(client, office_user, versions):
    client.force_login(office_user)

    response = client.get(f"/briefings/{versions[1].pk}/download/xlsx/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="daily-briefing-2026-12-03.xlsx"; '
        "filename*=UTF-8''%E7%96%AB%E6%83%85%E9%98%B2%E6%8E%A7%E5%B7%A5%E4%BD%9C%E6%97%A5%E6%8A%A5"
        "-2026-12-03.xlsx"
    )
    assert response.content[:2] == b"PK"
    assert client.get(f"/briefings/{versions[1].pk}/download/exe/").status_code == 404


def test_the_office_generates_a_day_from_the_archive(client, office_user, fake_sections, morning):
    client.force_login(office_user)

    response = client.post("/briefings/generate/", {"day": "2026-12-02"})

    briefing = Briefing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/briefings/{briefing.pk}/"
    assert (briefing.day.isoformat(), briefing.generated_by) == ("2026-12-02", office_user)


def test_a_future_day_is_refused_on_the_page_and_nothing_is_stored(
    client, office_user, fake_sections, morning
):
    client.force_login(office_user)

    response = client.post("/briefings/generate/", {"day": "2026-12-09"}, follow=True)

    assert "请选择今天或更早的日期。" in response.content.decode()
    assert Briefing.objects.count() == 0


def test_the_office_sends_a_version_from_its_page(
    client, office_user, versions, django_capture_on_commit_callbacks
):
    client.force_login(office_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/briefings/{versions[1].pk}/send/")

    assert response.status_code == 302
    assert list(Dispatch.objects.values_list("briefing_id", "channel")) == [
        (versions[1].pk, "robots")
    ]  # no e-mail recipients are set: nothing to mail
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["staff_user", "unit_head_user"])
def test_staff_and_unit_heads_are_refused_every_page(client, request, who, versions):
    client.force_login(request.getfixturevalue(who))
    pk = versions[1].pk

    for url in ("/briefings/", f"/briefings/{pk}/", f"/briefings/{pk}/download/xlsx/"):
        assert client.get(url).status_code == 403, url
    assert client.post("/briefings/generate/", {"day": "2026-12-02"}).status_code == 403
    assert client.post(f"/briefings/{pk}/send/").status_code == 403
    assert (Briefing.objects.count(), Dispatch.objects.count()) == (2, 0)


def test_a_leader_may_not_generate_or_send(client, leader_user, versions):
    client.force_login(leader_user)

    assert client.post("/briefings/generate/", {"day": "2026-12-02"}).status_code == 403
    assert client.post(f"/briefings/{versions[1].pk}/send/").status_code == 403
    assert (Briefing.objects.count(), Dispatch.objects.count()) == (2, 0)


def test_another_organizations_office_sees_nothing(client, outsider, versions):
    client.force_login(outsider)
    pk = versions[1].pk

    assert list(client.get("/briefings/").context["page"]) == []
    assert client.get(f"/briefings/{pk}/").status_code == 404
    assert client.get(f"/briefings/{pk}/download/pdf/").status_code == 404
    assert client.post(f"/briefings/{pk}/send/").status_code == 404
    assert Dispatch.objects.count() == 0


def test_the_menu_shows_the_archive_to_the_office_and_leaders_only(client, office_user, staff_user):
    client.force_login(office_user)
    assert 'href="/briefings/"' in client.get("/").content.decode()
    client.force_login(staff_user)
    assert 'href="/briefings/"' not in client.get("/").content.decode()


def test_a_long_table_shows_its_first_rows_and_links_the_workbook_for_the_rest(
    client, office_user, org, fake_sections, morning
):
    fake_sections.abnormal = PRINTED_ROWS + 25
    briefing, _ = services.generate(org, DAY)
    client.force_login(office_user)

    page = client.get(f"/briefings/{briefing.pk}/").content.decode()

    assert page.count("<td>李*</td>") == PRINTED_ROWS
    assert "另有 25 行，详见 Excel 附表。" in page
    assert f"/briefings/{briefing.pk}/download/xlsx/" in page
