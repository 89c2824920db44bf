"""A service request's life: booked by the person, their monitor or the office; accepted by
the case's volunteer (or the pool), delivered by whoever accepted it, confirmed or reopened by
the person. Every refused step changes nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headwater.core.errors import DomainError, NotAllowed
from headwater.isolation import services
from headwater.isolation.models import RequestEvent, ServiceRequest
from headwater.isolation.services import requests as svc
from headwater.isolation.tests.requests_helpers import *  # noqa: F403 (fixtures)
from headwater.isolation.tests.requests_helpers import book

pytestmark = pytest.mark.django_db


def states(req):
    return list(RequestEvent.objects.filter(request=req).values_list("state", flat=True))


def snapshot(req):
    req.refresh_from_db()
    return (req.state, req.accepted_by_id, req.delivery_note, RequestEvent.objects.count())


@pytest.mark.parametrize("who", ["staff_user", "monitor", "office_user"])
def test_the_person_their_monitor_or_the_office_books(case, who, request):
    user = request.getfixturevalue(who)
    req, created = book(case, user)
    assert created
    assert (req.state, req.kind, req.details, req.created_by) == (
        "open",
        "shopping",
        "大米5斤、鸡蛋一盒",
        user,
    )
    assert states(req) == ["open"]


@pytest.mark.parametrize("who", ["helper", "unit_head_user", "pool"])
def test_anyone_else_may_not_book(case, who, request):
    with pytest.raises(NotAllowed):
        book(case, request.getfixturevalue(who))
    assert ServiceRequest.objects.count() == 0


def test_a_released_case_takes_no_request(case, office_user, staff_user):
    services.approve_release(case, by=office_user, override="提前解除")
    with pytest.raises(DomainError) as e:
        book(case, staff_user)
    assert e.value.code == "case_released"
    assert ServiceRequest.objects.count() == 0


def test_a_retried_booking_is_one_request(case, staff_user):
    first, created = book(case, staff_user, key="k1")
    again, created_again = book(case, staff_user, key="k1")
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert ServiceRequest.objects.count() == 1


def test_the_whole_way_open_accepted_delivered_closed(case, staff_user, helper):
    req, _ = book(case, staff_user)
    svc.accept(req, by=helper)
    svc.deliver(req, "已放门口，共86元", by=helper)
    svc.confirm(req, by=staff_user)
    req.refresh_from_db()
    assert (req.state, req.accepted_by, req.delivery_note) == (
        "closed",
        helper.person,
        "已放门口，共86元",
    )
    assert req.accepted_at and req.delivered_at and req.closed_at
    assert states(req) == ["open", "accepted", "delivered", "closed"]


def test_reopened_goes_back_to_the_same_volunteer_who_delivers_again(case, staff_user, helper):
    req, _ = book(case, staff_user)
    svc.accept(req, by=helper)
    svc.deliver(req, "已送达", by=helper)
    svc.reopen(req, "少了鸡蛋", by=staff_user)
    req.refresh_from_db()
    assert (req.state, req.accepted_by) == ("reopened", helper.person)
    svc.deliver(req, "补送鸡蛋", by=helper)
    svc.confirm(req, by=staff_user)
    assert states(req) == ["open", "accepted", "delivered", "reopened", "delivered", "closed"]


def test_reopening_needs_a_reason(case, staff_user, helper):
    req, _ = book(case, staff_user)
    svc.accept(req, by=helper)
    svc.deliver(req, "已送达", by=helper)
    before = snapshot(req)
    with pytest.raises(DomainError) as e:
        svc.reopen(req, "  ", by=staff_user)
    assert e.value.fields == {"note": "这个字段是必填项。"}
    assert snapshot(req) == before


def test_only_the_cases_volunteer_accepts_when_it_has_one(case, staff_user, pool, sibling, monitor):
    req, _ = book(case, staff_user)
    before = snapshot(req)
    for user in (pool, sibling, staff_user):
        with pytest.raises(NotAllowed):
            svc.accept(req, by=user)
    assert snapshot(req) == before


def test_the_pool_accepts_when_the_case_has_no_volunteer(pool_case, staff_user, pool, sibling):
    req, _ = book(pool_case, staff_user)
    with pytest.raises(NotAllowed):
        svc.accept(req, by=sibling)
    svc.accept(req, by=pool)
    req.refresh_from_db()
    assert (req.state, req.accepted_by) == ("accepted", pool.person)


def test_a_volunteer_may_not_deliver_a_request_they_did_not_accept(
    pool_case, staff_user, pool, monitor
):
    req, _ = book(pool_case, staff_user)
    svc.accept(req, by=pool)
    before = snapshot(req)
    with pytest.raises(NotAllowed):
        svc.deliver(req, "我送的", by=monitor)  # the monitor is in the pool too
    assert snapshot(req) == before


def test_a_volunteer_may_not_close_a_request(case, staff_user, helper):
    req, _ = book(case, staff_user)
    svc.accept(req, by=helper)
    svc.deliver(req, "已送达", by=helper)
    before = snapshot(req)
    with pytest.raises(NotAllowed):
        svc.confirm(req, by=helper)
    with pytest.raises(NotAllowed):
        svc.reopen(req, "自己重开", by=helper)
    assert snapshot(req) == before


@pytest.mark.parametrize(
    "steps, refused",
    [
        ([], "deliver"),
        ([], "confirm"),
        ([], "reopen"),
        (["accept"], "accept"),
        (["accept"], "confirm"),
        (["accept"], "reopen"),
        (["accept", "deliver"], "accept"),
        (["accept", "deliver"], "deliver"),
        (["accept", "deliver", "confirm"], "reopen"),
        (["accept", "deliver", "confirm"], "confirm"),
        (["accept", "deliver", "confirm"], "deliver"),
    ],
)
def test_a_step_out_of_order_is_refused(case, staff_user, helper, steps, refused):
    req, _ = book(case, staff_user)
    run = {
        "accept": lambda: svc.accept(req, by=helper),
        "deliver": lambda: svc.deliver(req, "送达", by=helper),
        "confirm": lambda: svc.confirm(req, by=staff_user),
        "reopen": lambda: svc.reopen(req, "不对", by=staff_user),
    }
    for step in steps:
        run[step]()
    before = snapshot(req)
    with pytest.raises(DomainError) as e:
        run[refused]()
    assert e.value.code in ("request_wrong_state", "forbidden")
    assert snapshot(req) == before


def test_after_release_an_open_request_cannot_be_accepted(case, staff_user, helper, office_user):
    req, _ = book(case, staff_user)
    services.approve_release(case, by=office_user, override="提前解除")
    before = snapshot(req)
    with pytest.raises(DomainError) as e:
        svc.accept(req, by=helper)
    assert e.value.code == "case_released"
    assert snapshot(req) == before


def test_a_retried_accept_answers_the_first_outcome(case, staff_user, helper):
    req, _ = book(case, staff_user)
    _, first = svc.accept(req, by=helper, key="a1")
    again, second = svc.accept(req, by=helper, key="a1")
    assert (first, second, again.state) == (True, False, "accepted")
    assert states(req) == ["open", "accepted"]


@pytest.mark.skipif(
    not connection.features.has_select_for_update_of, reason="row locks: PostgreSQL only"
)
def test_a_step_locks_only_the_requests_row_not_its_case(case, staff_user, helper):
    req, _ = book(case, staff_user)
    with CaptureQueriesContext(connection) as ctx:
        svc.accept(req, by=helper)

    locking = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locking) == 1
    assert locking[0].endswith('FOR UPDATE OF "isolation_servicerequest"')
