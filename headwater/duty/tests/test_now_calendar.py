"""My shifts and the calendar feed: the person's published shifts as iCalendar events (post,
label, site, duty phone) at a secret URL fetched without a session; a forged, damaged or
renewed link answers 404."""

import datetime as dt

import time_machine
from icalendar import Calendar

from headwater.core.models import Site
from headwater.duty.services import now_feed
from headwater.duty.tests.now_helpers import D, at, day_and_night, roster, shift


def _feed_url(client, user):
    client.force_login(user)
    url = client.get("/api/v1/duty/calendar").json()["url"]
    client.logout()
    return url.removeprefix("http://testserver")


def test_the_feed_lists_my_published_shifts(client, control_room, operators, staff_user, tree, org):
    control_room.site = Site.objects.create(organization=org, name="第一水厂", kind="water_plant")
    control_room.save()
    day_and_night(roster(tree["plant1"]), control_room, D, operators[:1], operators[1:2])
    shift(roster(tree["plant1"], published=False), control_room, at(D, 20), 12, operators[:1])
    url = _feed_url(client, staff_user)
    with time_machine.travel(at(D, 6), tick=False):
        response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "text/calendar; charset=utf-8")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["第一水厂中控室 · 白班"]
    event = events[0]
    assert (str(event["location"]), event.decoded("dtstart")) == ("第一水厂", at(D, 8))
    assert "0571-88880001" in str(event["description"])


def test_a_forged_or_renewed_link_answers_404(client, control_room, operators, staff_user, tree):
    day_and_night(roster(tree["plant1"]), control_room, D, operators[:1])
    url = _feed_url(client, staff_user)
    assert client.get(url.replace(".ics", "x.ics")).status_code == 404
    assert client.get("/duty/calendar/not-a-token.ics").status_code == 404
    now_feed.regenerate(staff_user.person, by=staff_user)
    assert client.get(url).status_code == 404
    assert client.get(_feed_url(client, staff_user)).status_code == 200


def test_my_shifts_page_and_api_show_only_my_upcoming_published_shifts(
    client, control_room, operators, staff_user, tree
):
    rost = roster(tree["plant1"])
    day_and_night(rost, control_room, D, operators[:1], operators[1:2])
    shift(rost, control_room, at(D + dt.timedelta(days=1), 8), 12, operators[:1])
    client.force_login(staff_user)
    with time_machine.travel(at(D, 21), tick=False):
        mine = client.get("/api/v1/duty/shifts/mine").json()
        page = client.get("/duty/mine/").content.decode()
    assert [(m["label"], m["starts_at"][:16]) for m in mine] == [("白班", "2026-03-11T00:00")]
    assert page.count('data-testid="my-shift"') == 1
    assert "/duty/calendar/" in page


def test_renewing_from_the_page_changes_the_link(client, staff_user):
    client.force_login(staff_user)
    before = client.get("/duty/mine/").content.decode()
    client.post("/duty/mine/", {"action": "renew"})
    after = client.get("/duty/mine/").content.decode()
    token = lambda html: html.split("/duty/calendar/")[1].split(".ics")[0]  # noqa: E731
    assert token(before) != token(after)
