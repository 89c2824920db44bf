"""An extra sample (results without a task) on the phone: the page lists the quick check
(浑浊度、pH and the disinfectant residual) by default, a plan's indicators, all routine ones
or the technician's own choice, chosen through the address; what it stores is labelled as
typed on the results page, not as coming through the API."""

import datetime as dt

import pytest
from django.utils import translation

from headwater.quality.models import Sample, SamplingPlan
from headwater.quality.tests.conftest import at
from headwater.quality.tests.test_pages import DAY, client_for

URL = "/quality/samples/new/"


@pytest.fixture(autouse=True)
def monday(clock_at):
    clock_at(at(DAY, 10))


@pytest.fixture
def plan(org, labs, points):
    return SamplingPlan.objects.create(
        organization=org,
        name="出厂水日检",
        lab=labs["plant1"],
        point=points["finished"],
        indicators=["turbidity", "colour", "odour", "total_chlorine"],
        frequency="daily",
        starts_on=DAY,
    )


def listed(page) -> list[str]:
    return [row["indicator"].code for row in page.context["rows"]]


def test_the_quick_check_is_listed_by_default_not_all_43_indicators(client, points, technician):
    page = client_for(client, technician).get(URL, {"point": points["finished"].pk})
    assert page.status_code == 200
    assert listed(page) == ["turbidity", "ph", "free_chlorine"]
    chooser = page.context["chooser"]
    assert chooser.chosen == "quick"
    assert [p.value for p in chooser.presets] == ["quick", "all"]


def test_the_quick_check_takes_the_disinfectant_the_points_plans_measure(
    client, points, technician, plan
):
    page = client_for(client, technician).get(URL, {"point": points["finished"].pk})
    assert listed(page) == ["turbidity", "ph", "total_chlorine"]


def test_a_plan_preset_lists_the_plans_indicators(client, points, technician, plan):
    c = client_for(client, technician)
    page = c.get(URL, {"point": points["finished"].pk, "preset": f"plan-{plan.pk}"})
    assert listed(page) == ["turbidity", "colour", "odour", "total_chlorine"]
    assert [p.value for p in page.context["chooser"].presets] == ["quick", f"plan-{plan.pk}", "all"]


def test_all_routine_and_an_own_choice(client, points, technician):
    c = client_for(client, technician)
    assert len(listed(c.get(URL, {"point": points["finished"].pk, "preset": "all"}))) == 43
    page = c.get(URL, {"point": points["finished"].pk, "indicator": ["odour", "ph", "nonsense"]})
    assert listed(page) == ["odour", "ph"]
    assert page.context["chooser"].chosen == "custom"


def test_a_sample_typed_on_the_page_is_labelled_as_typed_on_the_page(client, points, technician):
    c = client_for(client, technician)
    url = f"{URL}?point={points['finished'].pk}&indicator=odour&indicator=visible_matter"
    form = {
        "v_odour": "无异臭异味",
        "v_visible_matter": "无肉眼可见物",
        "sampled_at": "2026-11-02T09:30",
    }
    response = c.post(url, form)
    assert response.status_code == 302
    sample = Sample.objects.get()
    with translation.override("en"):
        assert (sample.source, sample.get_source_display(), sample.sampled_at) == (
            "page",
            "Results page",
            at(DAY, 9) + dt.timedelta(minutes=30),
        )
    assert dict(sample.results.values_list("indicator", "raw")) == {
        "odour": "无异臭、异味",
        "visible_matter": "无",
    }
