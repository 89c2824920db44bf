"""On a phone, in a real browser: a staff member registers a relative from the check-in page,
checks in with the relative's fever, and their unit head sees the relative as abnormal on the
grid screening list (网格化筛查)."""

import pytest

from headwater.core.models import HouseholdMember
from headwater.core.tests.browser.harness import follow_menu, login, open_page, shot, submit, zh
from headwater.health.models import FollowUp, HouseholdCheckIn

pytestmark = pytest.mark.browser


def test_a_relatives_fever_reaches_the_grid_screening_on_a_phone(
    live_server, phone_page, staff_user, unit_head_user, people, browser
):
    page = phone_page

    # The staff member opens the check-in and follows its link to register a relative.
    login(page, live_server, staff_user.username)
    follow_menu(page, "/health/checkin/")
    assert page.locator('[data-testid="no-relatives"]').is_visible()
    submit(page, '[data-testid="household-link"]')
    page.fill("#id_name", "张丽")
    page.select_option("#id_relation", "spouse")
    page.fill("#id_phone", "138 0000 1111")
    page.fill("#id_address", "金溪市幸福路8号3栋201")
    shot(page, "household-register-phone")
    submit(page, '[data-testid="add-member"]')
    member = HouseholdMember.objects.get()
    assert (member.person, member.phone) == (people["operator"], "13800001111")
    assert "13800001111" in page.locator('[data-testid="member"]').inner_text()
    shot(page, "household-list-phone")

    # Back to the check-in: the relative's line, with a fever and a cough.
    follow_menu(page, "/health/checkin/")
    page.fill("#id_temperature", "36.5")
    relative = page.locator(f'[data-testid="relative-{member.pk}"]')
    relative.locator(f'[name="relatives.{member.pk}.temperature"]').fill("38.4")
    relative.locator(f'label[for="id_relatives.{member.pk}.symptoms_1"]').click()
    note = relative.locator(f'[name="relatives.{member.pk}.note"]')
    assert note.is_hidden()
    relative.locator(f'[name="relatives.{member.pk}.travel"]').check()
    assert note.is_visible()
    relative.locator(f'[name="relatives.{member.pk}.travel"]').uncheck()
    shot(page, "household-checkin-relative-fever-phone")
    submit(page, '[data-testid="submit"]')
    assert page.locator('[data-testid="already"]').is_visible()
    line = HouseholdCheckIn.objects.get()
    assert (str(line.temperature), line.symptoms, line.is_abnormal) == ("38.4", ["cough"], True)
    assert FollowUp.objects.get().person == people["operator"]

    # The unit head opens the grid screening from the menu on their phone.
    context, head, problems = open_page(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    login(head, live_server, unit_head_user.username)
    follow_menu(head, "/health/household/")
    assert head.locator('[data-testid="count-abnormal"]').inner_text().endswith("1")
    rows = head.locator('[data-testid="row-abnormal"]')
    assert rows.count() == 1
    text = rows.first.inner_text()
    assert "张丽" in text and "38.4" in text and zh("Cough") in text and "李操作" in text
    assert "138****1111" in text
    shot(head, "household-screening-phone")
    submit(head, '[data-testid="count-normal"]')
    assert head.locator('[data-testid="empty"]').is_visible()
    context.close()
    assert not problems, problems


def test_the_grid_screening_on_a_desktop(live_server, desktop_page, office_user, people, org):
    HouseholdMember.objects.create(
        organization=org, person=people["operator"], name="李小宝", relation="child"
    )
    login(desktop_page, live_server, office_user.username)
    follow_menu(desktop_page, "/health/household/")
    # The whole organization comes per unit; a unit's link lists its relatives.
    shift = desktop_page.locator(f'[data-testid="unit-{people["operator"].unit_id}"]')
    assert shift.inner_text().split() == ["运行甲班", "1", "0", "1", "0"]
    shot(desktop_page, "household-screening-units-desktop")
    submit(desktop_page, f'[data-testid="unit-{people["operator"].unit_id}"] a')
    assert desktop_page.locator('[data-testid="row-not_reported"]').count() == 1
    shot(desktop_page, "household-screening-desktop")
