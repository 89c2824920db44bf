# ruff: noqa: F811 (fixtures imported from visitors_fixtures: the app's conftest is shared)
"""The visitor's pass page, opened without an account from a signed link: masked name, host,
site, valid until, state and the QR (a visitor token of the one format) while the visit is
valid; expired or ended: a clear message, no QR; a tampered link: 404. The printed slip."""

import datetime as dt
import re

import pytest
import time_machine

from headwater.access import signing, visit_pass
from headwater.access.services.visits import approve_visit, end_visit, register_visit
from headwater.access.tests.factories_visitors import switch_level, visit_data
from headwater.access.tests.visitors_fixtures import gate, guard, host  # noqa: F401

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 3, 2, 4, 0, tzinfo=dt.UTC)  # 12:00 in Shanghai


@pytest.fixture
def approved(org, gate, guard, host):
    switch_level(org, "level2")
    with time_machine.travel(NOON, tick=False):
        visit, _ = register_visit(gate, visit_data(host="E2"), by=guard)
        approve_visit(visit, by=host)
    visit.refresh_from_db()
    return visit


def test_the_link_is_signed_not_the_visit_id(approved):
    path = visit_pass.pass_path(approved)

    assert path.startswith("/access/v/")
    assert f"/v/{approved.pk}/" not in path
    assert visit_pass.visit_id_of(path.split("/")[3]) == approved.pk


@time_machine.travel(NOON + dt.timedelta(hours=1), tick=False)
def test_the_pass_page_shows_the_visit_and_a_qr_without_an_account(client, approved, org):
    response = client.get(visit_pass.pass_path(approved))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="pass-qr"' in page
    assert "张**" in page and "张来访" not in page
    assert "李操作" in page  # the host
    assert "2026-03-02 20:00" in page  # valid until, Shanghai time
    assert "13800001111" not in page and "330784199001011231" not in page
    token = visit_pass.pass_token(approved)
    claims = signing.verify(token, org)
    assert (claims.kind, claims.subject_id) == ("v", approved.pk)
    assert claims.expires == int(approved.valid_until.timestamp())


def test_an_expired_pass_shows_a_clear_message_and_no_qr(client, approved):
    with time_machine.travel(NOON + dt.timedelta(hours=9), tick=False):
        response = client.get(visit_pass.pass_path(approved))

    page = response.content.decode()
    assert response.status_code == 200
    assert "此通行证已失效：来访已结束。" in page
    assert 'data-testid="pass-qr"' not in page
    assert visit_pass.pass_token(approved) is None


def test_an_ended_visit_shows_no_qr(client, approved, guard):
    end_visit(approved, by=guard)

    page = client.get(visit_pass.pass_path(approved)).content.decode()

    assert "此通行证已失效：来访已结束。" in page and 'data-testid="pass-qr"' not in page


def test_a_tampered_or_made_up_link_is_404(client, approved):
    token = visit_pass.link_token(approved)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    for raw in (tampered, str(approved.pk), "x" * 500):
        response = client.get(f"/access/v/{raw}/")
        assert response.status_code == 404, raw
        assert "张" not in response.content.decode()


@time_machine.travel(NOON + dt.timedelta(hours=1), tick=False)
def test_the_slip_is_a_pdf_for_the_guard(client, approved, guard):
    client.force_login(guard)

    response = client.get(f"/access/visits/{approved.pk}/slip.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert re.search(r"filename=\"visit-\d+\.pdf\"", response["Content-Disposition"])
