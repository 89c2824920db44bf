"""Menus, tiles and the units page lead only where the user may go: every demo login (each
role, and the administrator) walks every link its home page and its units page show, and none
answers 403. Also: the units page shows real head counts to those who may see people and none
to those who may not."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from headwater.core import demo
from headwater.core.models import Person, Unit, User
from headwater.core.tests.world import world_context
from headwater.core.tiles import tiles_for

LOGINS = [str(spec.role) for spec in demo.LOGINS] + [demo.ADMIN]
HREF = re.compile(r'href="(/[^"#]*)"')
_HANDLER = Client().handler
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with world_context(django_db_blocker) as w:
        yield w


def client_of(world, username: str) -> Client:
    client = Client()
    client.handler = _HANDLER  # one handler for all: building the middleware is slow
    client.force_login(User.objects.get(organization=world.org, username=username))
    return client


def links(html: str) -> list[str]:
    return sorted(
        {u.replace("&amp;", "&") for u in HREF.findall(html) if not u.startswith("/static/")}
    )


def refused(client: Client, urls: list[str]) -> list[str]:
    return [u for u in urls if client.get(u).status_code == 403]


@pytest.mark.parametrize("username", LOGINS)
def test_no_link_on_a_role_home_page_leads_to_a_refusal(world, username):
    client = client_of(world, username)
    home = client.get(reverse("home"))
    assert home.status_code == 200

    urls = links(home.content.decode())

    assert reverse("core:levels") in urls  # the walk did find the menu
    assert refused(client, urls) == []


@pytest.mark.parametrize("username", LOGINS)
def test_no_link_on_the_units_page_leads_to_a_refusal(world, username):
    client = client_of(world, username)
    page = client.get(reverse("core:units"))
    if page.status_code == 403:
        assert reverse("core:units") not in links(client.get(reverse("home")).content.decode())
        return

    assert refused(client, links(page.content.decode())) == []


def test_check_in_is_not_in_the_menu_of_a_login_without_a_person(world):
    for username in ("regulator", demo.ADMIN):
        home = client_of(world, username).get(reverse("home")).content.decode()
        assert reverse("health:checkin") not in links(home), username

    staff = client_of(world, "staff").get(reverse("home")).content.decode()
    assert reverse("health:checkin") in links(staff)


@pytest.mark.parametrize("username", ["quality", "regulator", "dispatcher", "storekeeper"])
def test_units_page_shows_no_head_counts_or_people_links_to_roles_that_may_not_see_people(
    world, username
):
    page = client_of(world, username).get(reverse("core:units"))

    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="unit-row"') >= 1
    assert 'data-testid="unit-people"' not in html
    assert reverse("core:people") not in links(html)


def test_units_page_shows_the_real_head_count_of_each_unit_in_the_unit_heads_scope(world):
    plant = Unit.objects.get(organization=world.org, code="P1")  # the demo head's grant
    page = client_of(world, "unit_head").get(reverse("core:units"))

    shown = dict(
        re.findall(
            r'\?unit=(\d+)">[^<]*</a></td><td class="text-muted">[^<]*</td>'
            r'<td class="text-end" data-testid="unit-people">(\d+)</td>',
            page.content.decode(),
        )
    )
    real = {
        str(u.pk): str(Person.objects.filter(unit=u).active().count())
        for u in Unit.objects.filter(path__startswith=plant.path)
    }
    assert shown == real
    assert int(shown[str(plant.pk)]) > 0


@pytest.mark.parametrize("username", LOGINS)
def test_no_role_home_page_shows_a_count_of_the_organizations_sites(world, username):
    user = User.objects.get(organization=world.org, username=username)

    titles = [str(t.title) for t in tiles_for(user, world.org)]

    assert "站点" not in titles
    assert titles[0] == "响应级别"
