"""Every role logs in through the real login page, on a phone and on a desktop, and lands on a
home page that names them, shows their role, and offers the menu their role may use."""

import pytest
from django.urls import reverse
from django.utils import translation

from headwater.core.navigation import MENU
from headwater.core.roles import ROLE_PERMISSIONS, VIEW_AUDIT, Role
from headwater.core.tests.browser.harness import login, shot
from headwater.core.tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.browser

UNIT_SCOPED = {Role.UNIT_HEAD, Role.MONITOR}
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"
AUDIT_LINK = 'a[href="/core/audit/"]'


def zh(text) -> str:
    with translation.override("zh-hans"):
        return str(text)


def expected_menu(role: str) -> set[str]:
    perms = ROLE_PERMISSIONS.get(role, set())
    return {reverse(item.url_name) for item in MENU if item.perm is None or item.perm in perms}


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("role", Role.values)
def test_role_lands_on_its_home_page(request, live_server, tree, role, viewport):
    index = Role.values.index(role)
    person = PersonFactory(unit=tree["plant1"], name=f"{SURNAMES[index % len(SURNAMES)]}晓{index}")
    unit = tree["plant1"] if role in UNIT_SCOPED else None
    make_user(f"user_{role}", person=person, roles=[(role, unit)])
    page = request.getfixturevalue(f"{viewport}_page")

    login(page, live_server, f"user_{role}")

    assert page.url == f"{live_server.url}/", f"login did not land on home: {page.url}"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    badges = page.get_by_test_id("role")
    assert badges.all_inner_texts() == [zh(Role(role).label)]
    assert person.name in page.get_by_test_id("greeting").inner_text()

    links = page.locator("#hw-nav .navbar-nav a.nav-link, #hw-nav .navbar-nav a.dropdown-item")
    assert {links.nth(i).get_attribute("href") for i in range(links.count())} == expected_menu(role)
    audit_links = page.locator(f"#hw-nav {AUDIT_LINK}").count()
    if role == Role.OFFICE:
        assert audit_links == 1
    elif role == Role.STAFF:
        assert audit_links == 0
    else:
        assert audit_links == (VIEW_AUDIT in ROLE_PERMISSIONS.get(role, set()))

    if viewport == "phone":
        # The menu folds behind the toggler on a phone; open it so the screenshot shows it.
        nav = page.locator("#hw-nav")
        assert not nav.is_visible()
        page.click(".navbar-toggler")
        assert nav.is_visible()
    shot(page, f"home-{role}-{viewport}")
