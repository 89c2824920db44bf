"""Recomputing the ranking: a change to the critical-customer registry asks for it (the
signal), the periodic task computes the current models asked for or never ranked, and the
office's "recompute now" queues it once (tasks run at once in tests: HUEY.immediate)."""

import datetime as dt

import pytest
import time_machine

from headwater.core.errors import DomainError
from headwater.network import graph
from headwater.network.models import NetworkModel, PipeRank
from headwater.network.services import ranking
from headwater.network.tasks_ranking import rank_model, rank_wanted_models
from headwater.network.tests.factories_ranking import customer, hand_customers, ranking_model

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def fresh_topologies():
    graph.forget()
    yield
    graph.forget()


@pytest.fixture
def ranked(org):
    model = ranking_model(org)
    with time_machine.travel(T0, tick=False):
        hand_customers(org)
        ranking.compute(model)
    model.refresh_from_db()
    return model


def test_saving_or_deleting_a_customer_asks_for_the_current_model_only(org, ranked):
    older = ranking_model(org, current=False, name="旧版")

    with time_machine.travel(T0 + MINUTE, tick=False):
        clinic = customer(org, "新门诊", "fever_clinic", ["J2"])
    ranked.refresh_from_db()
    older.refresh_from_db()
    assert (ranked.ranking_wanted_at, older.ranking_wanted_at) == (T0 + MINUTE, None)

    with time_machine.travel(T0 + 2 * MINUTE, tick=False):
        clinic.delete()
    ranked.refresh_from_db()
    assert ranked.ranking_wanted_at == T0 + 2 * MINUTE


def test_a_customer_added_is_ranked_by_the_periodic_task(org, ranked):
    with time_machine.travel(T0 + MINUTE, tick=False):
        cdc = customer(org, "疾控中心", "cdc", ["J2"])
        assert PipeRank.objects.get(model=ranked, link="P1").score == 23.0  # not yet
    with time_machine.travel(T0 + 2 * MINUTE, tick=False):
        done = rank_wanted_models.call_local()

    assert done == [ranked.pk]
    p1 = PipeRank.objects.get(model=ranked, link="P1")
    assert (p1.score, cdc.pk in p1.cut) == (31.0, True)
    ranked.refresh_from_db()
    assert ranked.ranked_at == T0 + 2 * MINUTE
    assert rank_wanted_models.call_local() == []  # nothing asked for since


def test_the_periodic_task_ranks_a_current_model_never_ranked(org):
    model = ranking_model(org)
    ranking_model(org, current=False, name="未启用")

    assert rank_wanted_models.call_local() == [model.pk]
    assert PipeRank.objects.filter(model=model).count() == 8


def test_a_change_while_computing_leaves_the_model_asked_for(org, ranked):
    NetworkModel.objects.filter(pk=ranked.pk).update(ranking_wanted_at=T0 + MINUTE)
    with time_machine.travel(T0 + MINUTE, tick=False):
        ranking.compute(ranked)  # started at the moment of the change: computed with it
    ranked.refresh_from_db()
    assert not ranking.pending(ranked)
    NetworkModel.objects.filter(pk=ranked.pk).update(ranking_wanted_at=T0 + 2 * MINUTE)
    ranked.refresh_from_db()
    assert ranking.pending(ranked)


def test_recompute_now_queues_once_and_replays_its_key(
    org, ranked, office_user, django_capture_on_commit_callbacks
):
    hand_customers_count = PipeRank.objects.filter(model=ranked).count()
    with time_machine.travel(T0 + MINUTE, tick=False):
        with django_capture_on_commit_callbacks(execute=True) as queued:
            model, asked = ranking.recompute(office_user, key="k1")
    assert (model.pk, asked, len(queued)) == (ranked.pk, True, 1)
    ranked.refresh_from_db()
    assert ranked.ranked_at == ranked.ranking_wanted_at == T0 + MINUTE  # ran at once
    assert PipeRank.objects.filter(model=ranked).count() == hand_customers_count

    with django_capture_on_commit_callbacks(execute=True) as again:
        _model, asked_again = ranking.recompute(office_user, key="k1")
    assert (asked_again, len(again)) == (False, 0)


def test_recompute_now_while_pending_computes_at_once(org, ranked, office_user):
    NetworkModel.objects.filter(pk=ranked.pk).update(ranking_wanted_at=T0 + MINUTE)
    customer(org, "疾控中心", "cdc", ["J2"])

    with time_machine.travel(T0 + 2 * MINUTE, tick=False):
        _model, asked = ranking.recompute(office_user)
        rank_model.call_local(ranked.pk)  # what the queue runs after commit

    ranked.refresh_from_db()
    assert (asked, ranked.ranking_wanted_at, ranked.ranked_at) == (
        True,
        T0 + 2 * MINUTE,
        T0 + 2 * MINUTE,
    )
    assert PipeRank.objects.get(model=ranked, link="P1").score == 31.0


def test_recompute_now_is_refused_without_a_model_or_the_permission(org, office_user, staff_user):
    with pytest.raises(DomainError) as none:
        ranking.recompute(office_user)
    ranking_model(org)
    with pytest.raises(DomainError) as refused:
        ranking.recompute(staff_user)

    assert (none.value.code, none.value.status) == ("network_no_model", 409)
    assert refused.value.status == 403
    assert NetworkModel.objects.get(organization=org).ranking_wanted_at is None
