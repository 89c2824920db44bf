"""Scope is declared once, on the model (`scope = ...`): a page and an endpoint listing the same
rows cannot disagree about which of them a user sees."""

from headwater.quality.models import SamplingPlan


def test_setup_page_and_plans_api_list_the_same_plans_to_a_plant_lab_head(
    client, org, points, labs, lab_head
):
    def plan(name: str, lab, **target) -> SamplingPlan:
        return SamplingPlan.objects.create(
            organization=org, name=name, lab=lab, indicators=["ph"], frequency="daily", **target
        )

    plan("管网每日", labs["central"], point_kind="network")  # no point: organization-wide
    plan("一厂出厂水", labs["plant1"], point=points["finished"])  # plant 1's point
    plan("河东末梢", labs["central"], point=points["network"])  # the company's, not plant 1's
    client.force_login(lab_head)

    page = client.get("/quality/setup/")
    api = client.get("/api/v1/quality/plans")

    assert (page.status_code, api.status_code) == (200, 200)
    on_page = sorted(p.name for p in page.context["plans"])
    in_api = sorted(p["name"] for p in api.json()["items"])
    assert on_page == in_api == sorted(["管网每日", "一厂出厂水"])
    assert "河东末梢" not in page.text
