"""In a real browser on the desktop: an operator of a published roster becomes a close
contact (a red code), the unit head finds the flagged shifts from the menu and accepts the
suggested replacement in a tap. The live server runs on the real clock."""

import datetime as dt

import pytest

from headwater.core import clock
from headwater.core.tests.browser.harness import follow_menu, login, shot, submit
from headwater.duty.choices import AssignmentSource, FlagState
from headwater.duty.models import Assignment, ShiftFlag
from headwater.duty.tests.continuity_helpers import publish_roster

pytestmark = pytest.mark.browser


def test_a_unit_head_accepts_the_replacement_for_an_operator_whose_code_turned_red(
    live_server, desktop_page, control_room, operators, unit_head_user, office_user
):
    from headwater.health.services.statuses import set_status

    page = desktop_page
    publish_roster(control_room, operators[:4], start=clock.today() + dt.timedelta(days=1))
    set_status(operators[0], "close_contact", clock.today(), by=office_user)
    assert ShiftFlag.objects.filter(state=FlagState.OPEN).count() == 4

    login(page, live_server, unit_head_user.username)
    follow_menu(page, "/duty/flags/")
    assert page.get_by_test_id("flag").count() == 4
    shot(page, "duty-flags-desktop")
    flag = ShiftFlag.objects.filter(state=FlagState.OPEN).order_by("assignment__shift__starts_at")[
        1
    ]
    submit(page, f'a[href="/duty/flags/{flag.pk}/"]')
    suggestions = page.get_by_test_id("suggestion").all_inner_texts()
    assert suggestions[0].startswith("操作员2")
    shot(page, "duty-flag-suggestions-desktop")
    submit(page, '[data-testid="suggestion"]:first-child [data-testid="accept"]')

    flag.refresh_from_db()
    assert (flag.state, flag.replacement_id) == (FlagState.REPLACED, operators[2].pk)
    assignment = Assignment.objects.get(pk=flag.assignment_id)
    assert (assignment.person_id, assignment.source) == (
        operators[2].pk,
        AssignmentSource.REPLACEMENT,
    )
    assert page.get_by_test_id("flag-state").inner_text() == "已顶班"
    assert page.get_by_test_id("replacement").inner_text() == "操作员2"
    shot(page, "duty-flag-replaced-desktop")
