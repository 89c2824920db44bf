"""The water-quality pages through the test client: tasks, entry, review, setup, limits."""

import datetime as dt

import pytest

from headwater.core.tests.factories import PASSWORD, PersonFactory, make_user
from headwater.quality import services
from headwater.quality.models import Relaxation, Result, Sample, SamplingPlan, SamplingTask
from headwater.quality.tests.conftest import at

DAY = dt.date(2026, 11, 2)


@pytest.fixture
def monday(clock_at):
    clock_at(at(DAY, 10))


def client_for(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def task(points, labs):
    return SamplingTask.objects.create(
        organization=points["finished"].organization,
        point=points["finished"],
        lab=labs["plant1"],
        indicators=["turbidity", "ph"],
        due_at=at(DAY, 8),
        deadline=at(DAY, 16),
    )


def test_the_task_list_shows_only_the_technicians_points(
    monday, client, task, points, labs, technician
):
    other = SamplingTask.objects.create(
        organization=points["network"].organization,
        point=points["network"],
        lab=labs["central"],
        indicators=["ph"],
        due_at=at(DAY, 9),
        deadline=at(DAY, 18),
    )
    page = client_for(client, technician).get("/quality/tasks/")
    assert page.status_code == 200
    assert f'data-testid="task-{task.pk}"' in page.text
    assert f'data-testid="task-{other.pk}"' not in page.text


def test_entering_a_tasks_results_saves_and_shows_the_sample(monday, client, task, technician):
    c = client_for(client, technician)
    page = c.post(f"/quality/tasks/{task.pk}/", {"v_turbidity": "0.2", "v_ph": "7.1", "key": "k1"})
    sample = Sample.objects.get()
    assert page.status_code == 302
    assert page.url == f"/quality/samples/{sample.pk}/"
    assert dict(sample.results.values_list("indicator", "outcome")) == {
        "turbidity": "pass",
        "ph": "pass",
    }


def test_a_bad_value_is_shown_beside_its_field_and_nothing_is_saved(
    monday, client, task, technician
):
    page = client_for(client, technician).post(
        f"/quality/tasks/{task.pk}/", {"v_turbidity": "abc", "v_ph": "7.1"}
    )
    assert page.status_code == 200
    assert 'class="form-control is-invalid"' in page.text
    assert Sample.objects.count() == 0


def test_an_extra_sample_sent_twice_with_its_key_is_stored_once(monday, client, points, technician):
    c = client_for(client, technician)
    url = f"/quality/samples/new/?point={points['finished'].pk}&indicator=ph"
    form = {"v_ph": "7.0", "sampled_at": "2026-11-02T09:30", "key": "same-key"}
    first = c.post(url, form)
    second = c.post(url, form)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Sample.objects.count() == 1


def test_staff_without_a_lab_role_cannot_open_the_pages(client, staff_user):
    c = client_for(client, staff_user)
    for url in ("/quality/tasks/", "/quality/review/", "/quality/setup/", "/quality/limits/"):
        assert c.get(url).status_code == 403, url


def test_the_lab_head_checks_a_sample_from_its_page(monday, client, points, technician, lab_head):
    sample, _created = services.record_sample(
        points["finished"],
        sampled_at=at(DAY, 9),
        values={"ph": "7", "turbidity": "0.2"},
        by=technician,
    )
    c = client_for(client, lab_head)
    queue = c.get("/quality/review/")
    assert f'data-testid="open-{sample.pk}"' in queue.text
    c.post(f"/quality/samples/{sample.pk}/", {"action": "check"})
    assert set(Result.objects.values_list("status", flat=True)) == {"checked"}


def test_returning_without_a_reason_shows_the_message_and_changes_nothing(
    monday, client, points, technician, lab_head
):
    sample, _created = services.record_sample(
        points["finished"], sampled_at=at(DAY, 9), values={"ph": "7"}, by=technician
    )
    page = client_for(client, lab_head).post(
        f"/quality/samples/{sample.pk}/", {"action": "return", "reason": ""}, follow=True
    )
    assert "alert-danger" in page.text
    assert Result.objects.get().status == "entered"


def test_the_quality_department_adds_a_plan_and_bad_frequencies_are_refused(
    monday, client, labs, approver
):
    c = client_for(client, approver)
    form = {
        "name": "管网余氯",
        "lab": labs["central"].pk,
        "point_kind": "network",
        "indicators": ["free_chlorine"],
        "frequency": "hours",
        "every_hours": "7",
        "window_hours": "4",
        "starts_on": "2026-11-02",
        "active": "on",
    }
    refused = c.post("/quality/plans/new/", form)
    assert refused.status_code == 200
    assert SamplingPlan.objects.count() == 0
    saved = c.post("/quality/plans/new/", form | {"every_hours": "6"})
    assert saved.status_code == 302
    plan = SamplingPlan.objects.get()
    assert (plan.frequency, plan.every_hours, plan.indicators) == ("hours", 6, ["free_chlorine"])
    assert "管网余氯" in c.get("/quality/setup/").text


def test_a_technician_may_not_edit_plans(client, technician):
    assert client_for(client, technician).get("/quality/plans/new/").status_code == 403


def test_a_relaxation_is_proposed_and_approved_on_the_limits_page(monday, client, approver, people):
    leader = make_user(
        "leader", person=PersonFactory(unit=people["clerk"].unit), roles=[("leader", None)]
    )
    c = client_for(client, approver)
    page = c.post(
        "/quality/limits/",
        {
            "form": "relax",
            "relax-indicator": "turbidity",
            "relax-maximum": "3",
            "relax-valid_from": "2026-11-02",
            "relax-valid_until": "2026-11-20",
            "relax-reason": "暴雨",
            "relax-risk_assessment": "专家评估风险可控",
        },
    )
    assert page.status_code == 302
    relaxation = Relaxation.objects.get()
    assert relaxation.status == "proposed"
    c.logout()
    client_for(client, leader).post(
        f"/quality/relaxations/{relaxation.pk}/decide/", {"action": "approve"}
    )
    relaxation.refresh_from_db()
    assert (relaxation.status, relaxation.decided_by) == ("approved", leader)


def test_the_limits_page_lists_the_national_limits_with_their_clauses(monday, client, approver):
    page = client_for(client, approver).get("/quality/limits/")
    assert page.status_code == 200
    assert "浑浊度" in page.text
    assert "GB 5749-2022" in page.text


def test_the_quality_department_adds_a_sampling_point_tied_to_a_site_and_a_node(
    client, org, tree, labs, approver, points
):
    from headwater.core.models import Site
    from headwater.quality.models import SamplingPoint

    site = Site.objects.create(
        organization=org, code="PS-1", name="河东加压泵站", kind="pumping_station"
    )
    c = client_for(client, approver)
    form = {
        "code": "NET-2",
        "name": "河东泵站出水",
        "kind": "network",
        "unit": tree["company"].pk,
        "lab": labs["central"].pk,
        "site": site.pk,
        "supply_type": "urban",
        "network_node": "J-101",
        "active": "on",
    }
    assert c.post("/quality/points/new/", form | {"code": "NET-1"}).status_code == 200
    assert c.post("/quality/points/new/", form).status_code == 302
    point = SamplingPoint.objects.get(code="NET-2")
    assert (point.site, point.network_node, point.kind) == (site, "J-101", "network")


def test_the_office_adds_an_internal_limit_on_the_limits_page(monday, client, office_user):
    from headwater.quality.models import InternalLimit

    page = client_for(client, office_user).post(
        "/quality/limits/",
        {
            "form": "internal",
            "internal-indicator": "turbidity",
            "internal-point_kind": "finished",
            "internal-maximum": "0.5",
            "internal-valid_from": "2026-11-01",
            "internal-note": "集团内控",
        },
    )
    assert page.status_code == 302
    limit = InternalLimit.objects.get()
    assert (limit.indicator, limit.maximum, limit.point_kind) == ("turbidity", 0.5, "finished")


def test_a_saved_plans_coming_tasks_are_generated_at_once(
    monday, client, labs, points, approver, django_capture_on_commit_callbacks
):
    form = {
        "name": "出厂水浊度",
        "lab": labs["plant1"].pk,
        "point": points["finished"].pk,
        "indicators": ["turbidity"],
        "frequency": "times",
        "times": "12:00, 16:00",
        "window_hours": "2",
        "starts_on": "2026-11-02",
        "active": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(client, approver).post("/quality/plans/new/", form).status_code == 302
    due = SamplingTask.objects.values_list("due_at", flat=True).order_by("due_at")
    assert list(due) == [at(DAY, 12), at(DAY, 16)]
