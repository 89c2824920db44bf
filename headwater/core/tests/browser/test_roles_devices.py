"""The office on a desktop: grants a role on a person's page and revokes it (confirming), and
enrols a device, whose token is shown once and never again."""

import pytest

from headwater.core.models import DeviceToken, RoleGrant
from headwater.core.tests.browser.harness import follow_menu, login, shot, submit, zh
from headwater.core.tests.factories import SiteFactory, make_user

pytestmark = pytest.mark.browser


def test_office_grants_and_revokes_a_role_on_a_person_page(
    live_server, office_user, people, tree, desktop_page
):
    page = desktop_page
    operator = people["operator"]
    login_user = make_user("e2", person=operator)
    gate = SiteFactory(
        organization=operator.organization,
        unit=tree["shift_a"],
        name="一号门",
        code="G1",
        kind="checkpoint",
    )
    login(page, live_server, office_user.username)

    page.goto(f"{live_server.url}/core/people/{operator.pk}/")
    form = page.get_by_test_id("grant-form")
    # A gate guard is granted at a site; its unit is the site's (the unit select is ignored).
    form.locator("select[name=role]").select_option("guard")
    form.locator("select[name=site]").select_option(str(gate.pk))
    submit(page, "[data-testid=grant-form] button[type=submit]")

    row = page.get_by_test_id("role-row")
    assert row.count() == 1
    assert zh("Gate guard") in row.inner_text() and "一号门" in row.inner_text()
    assert "运行甲班" in row.inner_text()
    assert RoleGrant.objects.filter(
        user=login_user, role="guard", unit=tree["shift_a"], site=gate
    ).exists()
    shot(page, "person-role-granted-desktop")

    follow_menu(page, "/core/roles/")
    page.wait_for_url(f"{live_server.url}/core/roles/")
    rows = page.locator("[data-testid=grants] tbody tr").all_inner_texts()
    assert any("李操作" in r and zh("Gate guard") in r and "一号门" in r for r in rows), rows
    shot(page, "roles-list-desktop")
    page.goto(f"{live_server.url}/core/people/{operator.pk}/")

    page.once("dialog", lambda dialog: dialog.accept())
    submit(page, "[data-testid=revoke-role]")

    assert page.get_by_test_id("role-row").count() == 0
    assert not RoleGrant.objects.filter(user=login_user).exists()
    shot(page, "person-role-revoked-desktop")


def test_office_enrols_a_device_and_sees_its_token_once(live_server, office_user, desktop_page):
    page = desktop_page
    login(page, live_server, office_user.username)

    follow_menu(page, "/core/devices/")
    page.wait_for_url(f"{live_server.url}/core/devices/")
    page.fill("[data-testid=enrol-form] input[name=name]", "一号门扫码枪")
    submit(page, "[data-testid=enrol-form] button[type=submit]")

    raw = page.get_by_test_id("device-token").inner_text().strip()
    assert raw.startswith("hw_")
    assert DeviceToken.authenticate(raw).name == "一号门扫码枪"
    shot(page, "device-enrolled-desktop")

    submit(page, 'main a[href="/core/devices/"]')
    assert raw not in page.content()  # never shown again
    assert page.get_by_test_id("device-row").all_inner_texts()[0].startswith("一号门扫码枪")
    shot(page, "devices-desktop")
