"""The ranking pages: /network/criticality/ (rank order, customers cut and low with their
kinds, filters, paging, the "being recomputed" notice, recompute now, the Excel file read
back) and /network/customers/<id>/risks/ (single points of failure with links to the burst
page); staff and unit heads are refused, another organization's customer is 404."""

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from headwater.network import graph
from headwater.network.models import NetworkModel, PipeRank
from headwater.network.services import ranking
from headwater.network.tests.factories_ranking import customer, hand_customers, ranking_model

pytestmark = pytest.mark.django_db
URL = "/network/criticality/"
T0 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fresh_topologies():
    graph.forget()
    yield
    graph.forget()


@pytest.fixture
def ranked(org):
    model = ranking_model(org)
    with time_machine.travel(T0, tick=False):
        customers = hand_customers(org)
        ranking.compute(model)
    model.refresh_from_db()
    return model, customers


def pipes(page: str) -> list[str]:
    import re

    return re.findall(r'data-testid="rank-row" data-pipe="([^"]+)"', page)


def test_the_ranking_lists_pipes_in_order_with_their_customers(client, office_user, ranked):
    client.force_login(office_user)

    answer = client.get(URL)

    page = answer.content.decode()
    assert answer.status_code == 200
    assert pipes(page) == ["P1", "P6", "P8", "P7", "P2", "P3", "P4", "P5"]
    assert page.count('data-testid="cut-customer"') == 3 + 3 * 2
    assert page.count('data-testid="low-customer"') == 3
    model, c = ranked
    assert f"人民医院 · {c['hospital'].get_kind_display()}" in page  # the kind's badge
    assert 'href="/network/burst/?pipe=P1"' in page
    assert "2026-03-10 17:00" in page  # ranked at, local time
    assert 'data-testid="ranking-pending"' not in page
    assert 'data-testid="recompute"' in page


def test_filters_by_customer_kind_and_minimum_dn(client, office_user, ranked):
    client.force_login(office_user)

    clinic = client.get(URL, {"kind": "fever_clinic"}).content.decode()
    big = client.get(URL, {"min_dn": "250"}).content.decode()
    nonsense = client.get(URL, {"kind": "x", "min_dn": "abc"}).content.decode()

    assert pipes(clinic) == ["P1", "P6", "P8", "P7"]
    assert pipes(big) == ["P1", "P6", "P2", "P3", "P4", "P5"]
    assert len(pipes(nonsense)) == 8


def test_the_ranking_is_paged(client, office_user, ranked, monkeypatch):
    from headwater.network import views_ranking

    monkeypatch.setattr(views_ranking, "PAGE", 3)
    client.force_login(office_user)

    second = client.get(URL, {"page": 2}).content.decode()

    assert pipes(second) == ["P7", "P2", "P3"]


def test_a_pending_ranking_says_it_is_being_recomputed(client, office_user, ranked):
    model, _customers = ranked
    NetworkModel.objects.filter(pk=model.pk).update(ranking_wanted_at=T0 + dt.timedelta(hours=1))
    client.force_login(office_user)

    assert 'data-testid="ranking-pending"' in client.get(URL).content.decode()


def test_recompute_now_from_the_page(
    client, office_user, ranked, django_capture_on_commit_callbacks
):
    model, customers = ranked
    customer(org=model.organization, name="疾控中心", kind="cdc", nodes=["J2"])
    client.force_login(office_user)

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"{URL}recompute/", {"key": "abc"})

    assert (answer.status_code, answer["Location"]) == (302, URL)
    assert PipeRank.objects.get(model=model, link="P1").score == 31.0


def test_the_excel_file_has_the_ranking_and_a_sheet_per_customer(client, office_user, ranked):
    _model, c = ranked
    label = {key: f"{cu.name}（{cu.get_kind_display()}）" for key, cu in c.items()}
    client.force_login(office_user)

    answer = client.get(URL, {"export": "xlsx", "min_dn": "0"})

    assert answer.status_code == 200
    assert "filename*=UTF-8''" in answer["Content-Disposition"]
    book = load_workbook(io.BytesIO(answer.content), read_only=True)
    assert book.sheetnames == ["管段排名", "人民医院", "发热门诊", "电信机房"]
    rows = list(book["管段排名"].values)
    assert rows[0] == (
        "排名",
        "管段",
        "DN",
        "材质",
        "得分",
        "断水重点用户",
        "单路供水重点用户",
        "断水节点数",
        "断水水量（L/s）",
        "影响人口",
    )
    assert [r[1] for r in rows[1:]] == ["P1", "P6", "P8", "P7", "P2", "P3", "P4", "P5"]
    assert rows[2][:5] == (2, "P6", 300, None, 18.5)
    assert rows[2][5:] == (f"{label['hospital']}、{label['telecom']}", label["clinic"], 3, 6, 2500)
    clinic = list(book["发热门诊"].values)
    assert [(r[0], r[3]) for r in clinic[1:]] == [
        ("P1", "断水"),
        ("P6", "单路供水"),
        ("P8", "单路供水"),
        ("P7", "单路供水"),
    ]


def test_a_customers_risks_page_lists_its_single_points_of_failure(client, office_user, ranked):
    _model, c = ranked
    client.force_login(office_user)

    clinic = client.get(f"/network/customers/{c['clinic'].pk}/risks/").content.decode()
    hospital = client.get(f"/network/customers/{c['hospital'].pk}/risks/").content.decode()

    assert clinic.count('data-testid="risk-cut-row"') == 1
    assert clinic.count('data-testid="risk-low-row"') == 3
    assert 'href="/network/burst/?pipe=P1"' in clinic
    assert hospital.count('data-testid="risk-cut-row"') == 4
    assert hospital.count('data-testid="risk-low-row"') == 0


def test_staff_and_unit_heads_are_refused(client, staff_user, unit_head_user, ranked):
    _model, c = ranked
    for user in (staff_user, unit_head_user):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.get(f"/network/customers/{c['clinic'].pk}/risks/").status_code == 403
        assert client.post(f"{URL}recompute/").status_code == 403
    assert NetworkModel.objects.get().ranking_wanted_at == T0


def test_another_organizations_customer_is_not_found(client, outsider, ranked):
    _model, c = ranked
    client.force_login(outsider)

    assert client.get(f"/network/customers/{c['clinic'].pk}/risks/").status_code == 404
    page = client.get(URL).content.decode()
    assert 'data-testid="no-model"' in page and "P1" not in pipes(page)
