"""The briefing-section interface: words resolved in each language from the same figures."""

import datetime as dt

import pytest
import time_machine
from django.utils.translation import gettext_lazy as _

from headwater.core import services, tiles
from headwater.core.choices import ResponseLevel
from headwater.core.tests.factories import OrganizationFactory, PersonFactory, make_unit, make_user
from headwater.core.tiles import BriefingSection, Figure, Flag, FlagKind, Table, Text

pytestmark = pytest.mark.django_db


def test_a_section_resolves_to_chinese_and_english_from_the_same_figures():
    section = BriefingSection(
        _("Organization"),
        key="x",
        lines=[Text(_("Staff: %(n)s"), n=12345)],
        figures=[Figure("x.n", _("Staff on the roster"), 12345, 12000, [1, 2], unit=_("people"))],
        tables=[Table(_("Sites"), [_("Name")], [[Text.plain("一厂")]])],
        flags=[Flag(FlagKind.OVERDUE, Text(_("Response level: %(level)s."), level=_("Normal")))],
    )
    zh, en = tiles.resolve(section, "zh-hans"), tiles.resolve(section, "en")
    assert en["title"] == "Organization"
    assert en["lines"] == ["Staff: 12,345"]
    assert en["figures"][0]["text"] == "12,345"
    assert en["figures"][0]["previous_text"] == "12,000"
    assert en["tables"] == [{"title": "Sites", "header": ["Name"], "rows": [["一厂"]]}]
    assert en["flags"] == [{"kind": "overdue", "text": "Response level: Normal."}]
    assert zh["title"] == "组织"
    assert zh["figures"][0]["value"] == en["figures"][0]["value"] == 12345


def test_the_core_section_names_a_level_switch_of_the_day_reported():
    org = OrganizationFactory()
    PersonFactory.create_batch(3, unit=make_unit(org, "一厂", "01"))
    office = make_user("office", organization=org, roles=[("office", None)])
    with time_machine.travel(dt.datetime(2026, 3, 9, 10, 0, tzinfo=dt.UTC)):
        services.switch_level(org, ResponseLevel.LEVEL_2, by=office, reason="疫情反弹")
    section = tiles.resolve(tiles.core_section(org, dt.date(2026, 3, 10)), "en")
    assert section["figures"][0]["value"] == 3
    assert section["flags"] == [
        {
            "kind": "decision",
            "text": "The response level was switched to Level 2 response at 18:00: 疫情反弹",
        }
    ]
    assert tiles.resolve(tiles.core_section(org, dt.date(2026, 3, 11)), "en")["flags"] == []
