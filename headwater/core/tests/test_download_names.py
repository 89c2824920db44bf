"""Downloads are named in the user's language: the Chinese name in RFC 5987 `filename*`, a
plain ASCII `filename` before it for a client that reads only that."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.test import RequestFactory
from django.urls import reverse

from headwater.core.downloads import content_disposition
from headwater.core.models import Site
from headwater.core.roles import VIEW_SITE
from headwater.core.tests.factories import make_user
from headwater.core.tests.timing import at
from headwater.core.views.generic import ScopedListView


def chinese(name: str, fallback: str) -> str:
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


def test_a_chinese_name_goes_in_filename_star_with_an_ascii_fallback():
    assert content_disposition("花名册-20250304.xlsx", "roster-20250304.xlsx") == (
        'attachment; filename="roster-20250304.xlsx"; '
        "filename*=UTF-8''%E8%8A%B1%E5%90%8D%E5%86%8C-20250304.xlsx"
    )


def test_an_ascii_name_needs_no_filename_star():
    assert content_disposition("roster.csv", "roster.csv") == 'attachment; filename="roster.csv"'


def test_characters_no_file_system_takes_are_replaced_in_the_name():
    header = content_disposition('一厂/二厂:"化验"?.pdf', "report.pdf")

    assert header.endswith("filename*=UTF-8''" + quote("一厂_二厂__化验__.pdf"))


def test_a_fallback_that_is_not_plain_ascii_is_a_programming_error():
    with pytest.raises(ValueError):
        content_disposition("花名册.csv", "花名册.csv")


def test_the_roster_export_is_named_in_chinese(client, office_user, clock_at):
    clock_at(at(dt.date(2025, 3, 4), 9))
    client.force_login(office_user)

    response = client.get(reverse("core:roster_export"), {"format": "xlsx"})

    assert response["Content-Disposition"] == chinese(
        "花名册-20250304.xlsx", "roster-20250304.xlsx"
    )


def test_the_roster_export_through_the_api_is_named_in_chinese(client, office_user, clock_at):
    clock_at(at(dt.date(2025, 3, 4), 9))
    client.force_login(office_user)

    response = client.get("/api/v1/people/export", {"format": "csv"})

    assert response["Content-Disposition"] == chinese("花名册-20250304.csv", "roster-20250304.csv")


def test_the_roster_template_is_named_in_chinese(client, office_user):
    client.force_login(office_user)

    response = client.get(reverse("core:roster_template"), {"format": "csv"})

    assert response["Content-Disposition"] == chinese("花名册导入模板.csv", "roster-template.csv")


def test_a_list_export_is_named_after_the_model_in_chinese(office_user):
    class SiteList(ScopedListView):
        model = Site
        permission_required = VIEW_SITE
        template_name = "core/sites.html"
        export_columns = [("编码", "code")]

    request = RequestFactory().get("/sites/", {"export": "xlsx"})
    request.user = office_user

    response = SiteList.as_view()(request)

    assert response["Content-Disposition"] == chinese(
        f"{Site._meta.verbose_name_plural}.xlsx", "site.xlsx"
    )
    assert str(Site._meta.verbose_name_plural) == "站点"


def test_the_water_quality_results_template_is_named_in_chinese(client, org):
    client.force_login(make_user("qc", organization=org, roles=[("quality", None)]))

    response = client.get(reverse("quality:import_template", args=["xlsx"]))

    assert response["Content-Disposition"] == chinese(
        "水质结果导入模板.xlsx", "quality-results-template.xlsx"
    )
