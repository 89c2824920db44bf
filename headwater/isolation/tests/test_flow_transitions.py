"""The escalation flow's transition table: every allowed step from every state, every
refused one (out of order: a clear Chinese message, nothing changed), who may take each
step, and a retried step with the same key written once."""

import pytest
from django.utils import translation

from headwater.core.errors import DomainError, NotAllowed
from headwater.isolation.models_flow import Flow, FlowState, FlowStep
from headwater.isolation.services import flow as flows
from headwater.isolation.tests.conftest import at

pytestmark = pytest.mark.django_db
S = FlowState
ALL_STATES = list(S)
PATH_TO = {  # the actions (all by the office) that bring a new flow to each state
    S.REPORTED: [],
    S.HEAD_INFORMED: ["inform_head"],
    S.OFFICE_INFORMED: ["inform_head", "inform_office"],
    S.REFERRED: ["inform_head", "inform_office", "refer"],
    S.CLEARED: ["inform_head", "inform_office", "refer", "cleared"],
    S.SUSPECTED: ["inform_head", "inform_office", "refer", "suspected"],
    S.CONFIRMED: ["inform_head", "inform_office", "refer", "confirmed"],
    S.HOSPITALIZED: ["inform_head", "inform_office", "refer", "hospitalized"],
}
ALLOWED = {
    (S.REPORTED, "inform_head"): S.HEAD_INFORMED,
    (S.HEAD_INFORMED, "inform_office"): S.OFFICE_INFORMED,
    (S.OFFICE_INFORMED, "refer"): S.REFERRED,
    (S.OFFICE_INFORMED, "cleared"): S.CLEARED,
    (S.REFERRED, "cleared"): S.CLEARED,
    (S.REFERRED, "suspected"): S.SUSPECTED,
    (S.REFERRED, "confirmed"): S.CONFIRMED,
    (S.REFERRED, "hospitalized"): S.HOSPITALIZED,
}
ACTIONS = [
    "inform_head",
    "inform_office",
    "refer",
    "cleared",
    "suspected",
    "confirmed",
    "hospitalized",
]


@pytest.fixture
def new_flow(org, office_user, people, time_machine):
    time_machine.move_to(at(9), tick=False)

    def make(state=S.REPORTED):
        Flow.objects.filter(person=people["operator"]).update(state=S.CLEARED)
        flow, _ = flows.open_flow(org, people["operator"], "发热 38.5°C", by=office_user)
        for action in PATH_TO[state]:
            flow, _ = flows.advance(flow, action, by=office_user)
        return flow

    return make


def test_the_table_is_the_one_written_in_the_issue():
    assert {k: t.target for k, t in flows.TRANSITIONS.items()} == ALLOWED
    assert flows.ACTIONS == sorted(ACTIONS)


@pytest.mark.parametrize(("state", "action"), sorted(ALLOWED))
def test_every_allowed_step_moves_the_flow_and_records_it(new_flow, office_user, state, action):
    flow = new_flow(state)
    before = flow.steps.count()

    flow, created = flows.advance(flow, action, by=office_user, note="已电话告知")

    assert created is True
    assert flow.state == ALLOWED[(state, action)]
    step = flow.steps.last()
    assert (step.step, step.actor, step.note) == (flow.state, office_user, "已电话告知")
    assert flow.steps.count() == before + 1


REFUSED = [(s, a) for s in ALL_STATES for a in ACTIONS if (s, a) not in ALLOWED]


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_every_step_out_of_order_is_refused_and_nothing_changes(
    new_flow, office_user, state, action
):
    flow = new_flow(state)
    steps = list(FlowStep.objects.values_list("pk", flat=True))

    with translation.override("zh-hans"), pytest.raises(DomainError) as e:
        flows.advance(flow, action, by=office_user)

    assert e.value.code == "flow_out_of_order"
    assert e.value.message.endswith("不能办理此步骤。")
    flow.refresh_from_db()
    assert flow.state == state
    assert list(FlowStep.objects.values_list("pk", flat=True)) == steps


def test_refused_message_names_the_current_step_in_chinese(new_flow, office_user):
    flow = new_flow(S.REPORTED)
    with translation.override("zh-hans"), pytest.raises(DomainError) as e:
        flows.advance(flow, "refer", by=office_user)

    assert e.value.message == "当前环节为“已报告”，不能办理此步骤。"


def test_the_reporter_informs_the_head_but_not_the_office(new_flow, unit_head_user, monitor, org):
    flow = new_flow()
    flow.opened_by = monitor
    flow.save()
    assert [a for a, _t in flows.next_actions(flow, monitor)] == ["inform_head"]

    flow, _ = flows.advance(flow, "inform_head", by=monitor)

    with pytest.raises(NotAllowed):
        flows.advance(flow, "inform_office", by=monitor)
    flow.refresh_from_db()
    assert flow.state == S.HEAD_INFORMED


def test_the_unit_head_informs_the_office_but_does_not_refer(new_flow, unit_head_user):
    flow = new_flow(S.HEAD_INFORMED)

    flow, _ = flows.advance(flow, "inform_office", by=unit_head_user)
    assert flow.state == S.OFFICE_INFORMED
    assert flows.next_actions(flow, unit_head_user) == []
    with pytest.raises(NotAllowed):
        flows.advance(flow, "refer", by=unit_head_user)
    flow.refresh_from_db()
    assert flow.state == S.OFFICE_INFORMED


def test_a_head_of_another_unit_may_take_no_step(new_flow, tree, people):
    from headwater.core.tests.factories import make_user

    other = make_user("head2", person=people["other_plant"], roles=[("unit_head", tree["plant2"])])
    flow = new_flow(S.HEAD_INFORMED)

    with pytest.raises(NotAllowed):
        flows.advance(flow, "inform_office", by=other)
    flow.refresh_from_db()
    assert flow.state == S.HEAD_INFORMED


def test_a_retried_step_with_the_same_key_is_written_once(new_flow, office_user):
    flow = new_flow()

    first, created = flows.advance(flow, "inform_head", by=office_user, key="k1")
    again, again_created = flows.advance(flow, "inform_head", by=office_user, key="k1")

    assert (created, again_created) == (True, False)
    assert again.pk == first.pk
    assert list(first.steps.values_list("step", flat=True)) == ["reported", "head_informed"]


def test_a_second_open_flow_for_the_person_is_refused(org, office_user, people, new_flow):
    new_flow()

    with pytest.raises(DomainError) as e:
        flows.open_flow(org, people["operator"], "又发热", by=office_user)

    assert e.value.code == "flow_already_open"
    assert Flow.objects.count() == 1


def test_staff_may_not_open_a_flow(org, staff_user, people):
    with pytest.raises(NotAllowed):
        flows.open_flow(org, people["operator"], "发热", by=staff_user)
    assert Flow.objects.count() == 0
