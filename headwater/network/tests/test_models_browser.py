"""In a real browser: the office, on a 1366×900 desktop, opens the network models from the
menu, uploads a file the parser refuses (the refusal with its line beside the field, the
current version kept), then Net3, and generates a strategic N-1 valve layer on its page."""

import pytest
from playwright.sync_api import expect

from headwater.core.tests.browser.harness import follow_menu, login, open_page, shot, submit
from headwater.network.models import NetworkModel, Valve
from headwater.network.tests.factories_models import BAD, NETWORKS, make_model

pytestmark = pytest.mark.browser


@pytest.fixture
def office_page(browser):
    """The office's screen: 1366×900, Chinese."""
    context, page, problems = open_page(browser, viewport={"width": 1366, "height": 900})
    yield page
    context.close()
    assert not problems, problems


def test_the_office_uploads_a_model_and_generates_its_valve_layer(
    live_server, office_page, office_user, org
):
    first = make_model(org, office_user, "Net1")
    page = office_page
    login(page, live_server, "office")
    follow_menu(page, "/network/models/")
    expect(page.get_by_test_id("version-row")).to_have_count(1)
    form = page.get_by_test_id("upload-form")
    form.get_by_label("模型文件（EPANET .inp）").set_input_files(str(BAD / "bad_syntax.inp"))
    submit(page, '[data-testid="upload"]')
    expect(page.get_by_test_id("error-file")).to_contain_text("第 330 行")
    shot(page, "network-models-refused-desktop")
    assert list(NetworkModel.objects.values_list("pk", "current")) == [(first.pk, True)]
    form.get_by_label("模型文件（EPANET .inp）").set_input_files(str(NETWORKS / "Net3.inp"))
    form.get_by_label("名称").fill("示范管网 (Net3)")
    submit(page, '[data-testid="upload"]')
    expect(page.get_by_test_id("nodes")).to_have_text("97")
    model = NetworkModel.objects.get(current=True)
    assert (model.version, model.name) == (2, "示范管网 (Net3)")
    generate = page.get_by_test_id("generate-form")
    generate.get_by_label("随机种子").fill("0")
    submit(page, '[data-testid="generate"]')
    total = Valve.objects.filter(model=model).count()
    expect(page.get_by_test_id("valve-total")).to_have_text(str(total))
    shot(page, "network-models-detail-desktop")
    page.goto(f"{live_server.url}/network/models/")
    expect(page.get_by_test_id("version-row")).to_have_count(2)
    shot(page, "network-models-list-desktop")
