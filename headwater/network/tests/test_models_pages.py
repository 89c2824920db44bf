"""The network model pages: the versions with the upload form (a refusal shown beside the
file field, nothing changed), a version's page (make current, generate a layer, the .inp
download), the valve and population imports with the row-by-row report; 403 for a
dispatcher writing, 404 across organizations."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from headwater.network.models import NetworkModel, Valve
from headwater.network.tests.factories_models import bad_bytes, make_model, network_bytes
from headwater.network.tests.fixtures_models import *  # noqa: F403 (the models fixtures)

pytestmark = pytest.mark.django_db


def test_the_office_uploads_a_version_from_the_list_page(client, office_user):
    client.force_login(office_user)
    page = client.get("/network/models/")
    assert page.status_code == 200 and "上传新版本" in page.content.decode()
    response = client.post(
        "/network/models/",
        {
            "file": SimpleUploadedFile("Net3.inp", network_bytes("Net3")),
            "name": "三号",
            "key": "p1",
        },
    )
    model = NetworkModel.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/network/models/{model.pk}/"
    assert (model.name, model.node_count, model.current) == ("三号", 97, True)


def test_a_refused_file_is_shown_beside_the_field_and_nothing_changes(client, office_user, net1):
    client.force_login(office_user)
    response = client.post(
        "/network/models/", {"file": SimpleUploadedFile("bad.inp", bad_bytes("bad_syntax"))}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-file"' in html and "第 330 行" in html
    assert list(NetworkModel.objects.values_list("pk", "current")) == [(net1.pk, True)]


def test_the_version_page_generates_a_layer_and_makes_an_older_version_current(
    client, office_user, org, net1
):
    client.force_login(office_user)
    second = make_model(org, office_user, "Net3")
    page = client.get(f"/network/models/{net1.pk}/")
    assert page.status_code == 200 and 'data-testid="make-current"' in page.content.decode()
    client.post(f"/network/models/{net1.pk}/valves/", {"placement": "strategic", "n": 1, "seed": 0})
    assert Valve.objects.filter(model=net1).count() > 0
    client.post(f"/network/models/{net1.pk}/current/")
    second.refresh_from_db()
    net1.refresh_from_db()
    assert (net1.current, second.current) == (True, False)
    download = client.get(f"/network/models/{net1.pk}/model.inp")
    assert download.status_code == 200 and download.content == network_bytes("Net1")


def test_the_valve_import_page_reports_each_bad_row(client, office_user, net1):
    client.force_login(office_user)
    url = f"/network/models/{net1.pk}/valves/import/"
    csv = "管段,节点\n10,10\n999,10\n".encode()
    response = client.post(url, {"file": SimpleUploadedFile("v.csv", csv)})
    html = response.content.decode()
    assert html.count('data-testid="bad-row"') == 1 and "本版本模型中没有管段 999。" in html
    assert Valve.objects.count() == 0
    good = client.post(url, {"file": SimpleUploadedFile("v.csv", "管段,节点\n10,10\n".encode())})
    assert 'data-testid="import-summary"' in good.content.decode()
    assert Valve.objects.count() == 1
    template = client.get(url, {"template": "xlsx"})
    assert template.status_code == 200


def test_a_dispatcher_sees_the_versions_but_may_not_change_them(client, dispatcher_user, net1):
    client.force_login(dispatcher_user)
    page = client.get("/network/models/")
    assert page.status_code == 200 and 'data-testid="upload-form"' not in page.content.decode()
    refused = [
        client.post(
            "/network/models/", {"file": SimpleUploadedFile("a.inp", network_bytes("Net3"))}
        ),
        client.post(
            f"/network/models/{net1.pk}/valves/", {"placement": "strategic", "n": 1, "seed": 0}
        ),
        client.post(f"/network/models/{net1.pk}/current/"),
        client.get(f"/network/models/{net1.pk}/valves/import/"),
    ]
    assert [r.status_code for r in refused] == [403] * 4
    assert (NetworkModel.objects.count(), Valve.objects.count()) == (1, 0)


def test_another_organization_gets_404(client, outsider, net1):
    client.force_login(outsider)
    for path in ("/", "/model.inp", "/valves/import/", "/population/"):
        assert client.get(f"/network/models/{net1.pk}{path}").status_code == 404
    assert client.post(f"/network/models/{net1.pk}/current/").status_code == 404
    net1.refresh_from_db()
    assert net1.current is True
