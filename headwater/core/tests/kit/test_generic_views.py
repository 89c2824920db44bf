"""The generic pages: a scoped list with filters and export, an edit page that calls one
service and shows its refusal beside the fields."""

import io

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from openpyxl import load_workbook

from headwater.core.errors import DomainError
from headwater.core.forms import Form
from headwater.core.models import Site
from headwater.core.roles import CHANGE_SITE, VIEW_SITE
from headwater.core.views.generic import ScopedListView, ServiceFormView


class SiteList(ScopedListView):
    model = Site
    permission_required = VIEW_SITE
    template_name = "core/sites.html"
    filters = {"kind": "kind"}
    export_columns = [("编码", "code"), ("类型", "kind")]


class SiteForm(Form):
    code = forms.CharField(label="编码")


class SiteCreate(ServiceFormView):
    form_class = SiteForm
    permission_required = CHANGE_SITE
    template_name = "core/sites.html"
    success_url = "/sites/"
    success_message = "saved"

    def save(self, form):
        if form.cleaned_data["code"] == "TAKEN":
            raise DomainError("请更正标出的内容。", fields={"code": "编码已被占用。"})
        user = self.request.user
        return Site.objects.create(
            organization_id=user.organization_id,
            code=form.cleaned_data["code"],
            name="n",
            kind="plant",
        )


@pytest.fixture
def sites(org, outsider):
    Site.objects.create(organization=org, code="W1", name="一厂", kind="plant")
    Site.objects.create(organization=org, code="O1", name="办公楼", kind="office")
    Site.objects.create(organization=outsider.organization, code="X1", name="外", kind="plant")


def _request(user, method="get", path="/sites/", data=None):
    request = getattr(RequestFactory(), method)(path, data or {})
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_the_list_is_the_viewers_scope_filtered(sites, staff_user):
    response = SiteList.as_view()(_request(staff_user, data={"kind": "plant"}))

    assert [s.code for s in response.context_data["object_list"]] == ["W1"]


def test_the_export_downloads_the_filtered_scoped_rows(sites, staff_user):
    response = SiteList.as_view()(_request(staff_user, data={"export": "xlsx"}))

    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0] == ("编码", "类型")
    assert sorted(r[0] for r in rows[1:]) == ["O1", "W1"]


def test_the_list_refuses_a_user_without_the_permission(sites, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")

    with pytest.raises(PermissionDenied):
        SiteList.as_view()(_request(user))


def test_the_list_sends_an_anonymous_visitor_to_sign_in(sites):
    response = SiteList.as_view()(_request(AnonymousUser()))

    assert response.status_code == 302
    assert "/login" in response.url


def test_a_refusal_of_the_service_shows_beside_its_field_and_saves_nothing(office_user):
    response = SiteCreate.as_view()(_request(office_user, "post", data={"code": "TAKEN"}))

    form = response.context_data["form"]
    assert response.status_code == 200
    assert form.errors == {"code": ["编码已被占用。"]}
    assert "is-invalid" in form.fields["code"].widget.attrs["class"]
    assert Site.objects.count() == 0


def test_a_saved_form_redirects(office_user):
    response = SiteCreate.as_view()(_request(office_user, "post", data={"code": "NEW"}))

    assert (response.status_code, response.url) == (302, "/sites/")
    assert Site.objects.filter(code="NEW").count() == 1
