"""In a real browser on a phone, without signing in: the verification page a notice's QR code
opens shows the masked name and the dates."""

import pytest

from headwater.core import clock
from headwater.core.tests.browser.harness import shot
from headwater.isolation import documents
from headwater.isolation.tests.conftest import open_case

pytestmark = pytest.mark.browser


def test_anyone_scanning_the_code_sees_the_masked_case(
    live_server, phone_page, org, office_user, people
):
    case = open_case(org, office_user, people["operator"], started_on=clock.today())

    phone_page.goto(live_server.url + documents.verify_path(case, documents.NOTICE))

    assert phone_page.get_by_test_id("verify-name").inner_text() == "李**"
    assert phone_page.get_by_test_id("verify-state").inner_text() == "隔离中"
    shot(phone_page, "isolation-verify-phone")
