"""In a real browser on a phone (390×844): a technician takes an extra sample. The page lists
the quick check (浑浊度、pH、游离氯), not all 43 indicators; a plan's preset and the
technician's own choice change the list without any script; the standard's wording typed
for odour is stored canonically, and the sample is labelled as typed on the results page."""

import pytest

from headwater.core.tests.browser.harness import login, shot, submit, zh
from headwater.quality.models import Sample, SamplingPlan

pytestmark = pytest.mark.browser


def values_listed(page) -> list[str]:
    return page.locator('[data-testid^="value-"]').evaluate_all(
        "els => els.map(e => e.dataset.testid.slice(6))"
    )


def test_technician_picks_the_indicators_of_an_extra_sample_on_a_phone(
    live_server, phone_page, points, labs, technician
):
    plan = SamplingPlan.objects.create(
        organization=points["finished"].organization,
        name="出厂水日检",
        lab=labs["plant1"],
        point=points["finished"],
        indicators=["turbidity", "colour", "odour", "free_chlorine"],
        frequency="daily",
    )
    page = phone_page
    login(page, live_server, "tech")
    page.goto(f"{live_server.url}/quality/samples/new/")
    submit(page, "text=一厂出厂水")
    assert values_listed(page) == ["turbidity", "ph", "free_chlorine"]
    shot(page, "quality-extra-sample-quick-phone")

    page.select_option('[data-testid="preset"]', f"plan-{plan.pk}")
    submit(page, '[data-testid="apply-preset"]')
    assert values_listed(page) == ["turbidity", "colour", "odour", "free_chlorine"]

    page.click('[data-testid="choose-own"]')
    page.uncheck('[data-testid="pick-colour"]')
    page.uncheck('[data-testid="pick-free_chlorine"]')
    page.check('[data-testid="pick-visible_matter"]')
    submit(page, '[data-testid="apply-own"]')
    assert values_listed(page) == ["turbidity", "odour", "visible_matter"]

    page.fill('[data-testid="value-turbidity"]', "0.4")
    page.fill('[data-testid="value-odour"]', "无异臭异味")
    page.fill('[data-testid="value-visible_matter"]', "无肉眼可见物")
    shot(page, "quality-extra-sample-own-phone")
    submit(page, '[data-testid="save"]')

    odour = page.locator('[data-testid="result-odour"]')
    assert odour.locator("td.font-monospace").inner_text() == "无异臭、异味"
    assert odour.locator('[data-testid="outcome"]').inner_text() == zh("Within limit")
    assert zh("Results page") in page.locator("main").inner_text()
    shot(page, "quality-extra-sample-saved-phone")
    assert Sample.objects.get().source == "page"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width}px"
