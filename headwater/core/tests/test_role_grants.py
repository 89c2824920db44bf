"""Roles on pages, through the API and from a spreadsheet (core.grants): idempotent, audited,
never wider than the granter's own, nothing changed on a refusal.

Messages are checked in English (the msgids); the Chinese ones are checked once through the
API with the default language."""

import io

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from headwater.core import grants
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.importer import Tally
from headwater.core.models import RoleGrant
from headwater.core.tests.factories import PersonFactory, SiteFactory, make_user

API = "/api/v1"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def operator_login(people):
    return make_user("e2", person=people["operator"])


@pytest.fixture
def other_login(people):
    return make_user("e3", person=people["other_plant"])


def table(response) -> str:
    """The grants table of the list page (the layout names the viewer too)."""
    return response.content.decode().split('data-testid="grants"', 1)[1].split("</table>")[0]


def grant_entries(grant_pk):
    return LogEntry.objects.filter(content_type__model="rolegrant", object_id=grant_pk)


# --- services ---------------------------------------------------------------------------


def test_grant_is_audited_and_a_second_grant_returns_the_first(
    office_user, operator_login, people, tree
):
    g, created = grants.grant(people["operator"], "monitor", tree["plant1"], by=office_user)
    again, created_again = grants.grant(
        people["operator"], "monitor", tree["plant1"], by=office_user
    )

    assert (created, created_again, again.pk) == (True, False, g.pk)
    assert RoleGrant.objects.filter(user=operator_login).count() == 1
    entry = grant_entries(g.pk).get()
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, office_user)


def test_organization_wide_grant_twice_makes_one(office_user, operator_login, people):
    grants.grant(people["operator"], "leader", None, by=office_user)
    grants.grant(people["operator"], "leader", None, by=office_user)

    assert list(RoleGrant.objects.filter(user=operator_login).values_list("role", "unit")) == [
        ("leader", None)
    ]


def test_revoke_is_audited_and_a_second_revoke_changes_nothing(
    office_user, operator_login, people, tree
):
    g, _ = grants.grant(people["operator"], "crew", tree["shift_a"], by=office_user)

    assert grants.revoke(g, by=office_user) is True
    assert grants.revoke(g, by=office_user) is False
    assert not RoleGrant.objects.filter(user=operator_login).exists()
    deleted = grant_entries(g.pk).filter(action=LogEntry.Action.DELETE).get()
    assert deleted.actor == office_user


def test_unit_head_cannot_make_anyone_office(unit_head_user, operator_login, people):
    with pytest.raises(NotAllowed) as e:
        grants.grant(people["operator"], "office", None, by=unit_head_user)

    assert (
        e.value.message == "You may not grant “Control office”: that is wider than your own role."
    )
    assert not RoleGrant.objects.filter(user=operator_login).exists()


def test_unit_head_cannot_grant_over_a_sibling_unit(unit_head_user, other_login, people, tree):
    with pytest.raises(NotAllowed) as e:
        grants.grant(people["other_plant"], "monitor", tree["plant2"], by=unit_head_user)

    assert e.value.message == (
        "You may not grant a role over 第二水厂: it is outside the units you head."
    )
    assert not RoleGrant.objects.filter(user=other_login).exists()


def test_unit_head_cannot_grant_head_of_the_wider_unit(
    unit_head_user, operator_login, people, tree
):
    with pytest.raises(NotAllowed):
        grants.grant(people["operator"], "unit_head", tree["company"], by=unit_head_user)
    assert not RoleGrant.objects.filter(user=operator_login).exists()


def test_unit_head_grants_a_monitor_inside_their_unit(unit_head_user, operator_login, people, tree):
    g, created = grants.grant(people["operator"], "monitor", tree["shift_a"], by=unit_head_user)

    assert (created, g.user, g.role, g.unit) == (True, operator_login, "monitor", tree["shift_a"])


def test_staff_may_not_grant(staff_user, other_login, people, tree):
    with pytest.raises(NotAllowed):
        grants.grant(people["other_plant"], "monitor", tree["plant2"], by=staff_user)
    assert not RoleGrant.objects.filter(user=other_login).exists()


def test_person_without_a_login_is_refused_pointing_to_create_logins(office_user, people, tree):
    with pytest.raises(DomainError) as e:
        grants.grant(people["other_plant"], "monitor", tree["plant2"], by=office_user)

    assert e.value.message == (
        "赵二厂 has no login yet: create logins for their unit first (“Create logins”), "
        "then grant the role."
    )


def test_nobody_revokes_their_own_role(office_user):
    own = office_user.role_grants.get()
    with pytest.raises(NotAllowed):
        grants.revoke(own, by=office_user)
    assert RoleGrant.objects.filter(pk=own.pk).exists()


def test_roles_are_read_from_chinese_names():
    assert [grants.parse_role(t) for t in ("部门负责人", "志愿者", "门岗", "office")] == [
        "unit_head",
        "monitor",
        "guard",
        "office",
    ]


# --- pages ------------------------------------------------------------------------------


def test_person_page_grants_and_revokes_a_role(client, office_user, operator_login, people, tree):
    client.force_login(office_user)
    url = reverse("core:person", args=[people["operator"].pk])

    client.post(
        reverse("core:person_grant", args=[people["operator"].pk]),
        {"role": "crew", "unit": str(tree["shift_a"].pk)},
    )
    g = RoleGrant.objects.get(user=operator_login)
    page = client.get(url).content.decode()
    assert "Repair crew" in page and "运行甲班" in page
    assert reverse("core:grant_revoke", args=[g.pk]) in page

    response = client.post(reverse("core:grant_revoke", args=[g.pk]), {"back": "person"})

    assert response.url == url
    assert not RoleGrant.objects.filter(user=operator_login).exists()


def test_person_page_refuses_a_wider_grant_with_its_reason(
    client, unit_head_user, operator_login, people, tree
):
    client.force_login(unit_head_user)
    response = client.post(
        reverse("core:person_grant", args=[people["operator"].pk]),
        {"role": "unit_head", "unit": str(tree["company"].pk)},
        follow=True,
    )

    assert not RoleGrant.objects.filter(user=operator_login).exists()
    assert response.status_code == 200
    # The unit head's select offers only their subtree, so the wider unit is not a choice.
    assert "Select a valid choice." in response.content.decode()


def test_grants_list_filters_and_exports(client, office_user, operator_login, people, tree):
    grants.grant(people["operator"], "crew", tree["shift_a"], by=office_user)
    client.force_login(office_user)

    page = table(client.get(reverse("core:grants"), {"role": "crew"}))
    export = client.get(reverse("core:grants"), {"role": "crew", "export": "xlsx"})

    assert "李操作" in page and "钱文员" not in page
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_unit_head_sees_only_grants_in_their_units(
    client, unit_head_user, office_user, people, tree
):
    make_user("e3b", person=people["other_plant"], roles=[("monitor", tree["plant2"])])
    client.force_login(unit_head_user)

    page = table(client.get(reverse("core:grants")))

    assert "王厂长" in page and "赵二厂" not in page and "钱文员" not in page


def test_staff_get_no_grants_page(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("core:grants")).status_code == 403


# --- API --------------------------------------------------------------------------------


def test_api_grants_lists_and_revokes(client, office_user, operator_login, people, tree):
    client.force_login(office_user)
    body = {"person_id": people["operator"].pk, "role": "抢修队员", "unit_id": tree["shift_a"].pk}

    first = client.post(f"{API}/role-grants", body, content_type="application/json", **EN)
    second = client.post(f"{API}/role-grants", body, content_type="application/json", **EN)
    listed = client.get(f"{API}/role-grants", {"role": "crew"}, **EN).json()
    deleted = client.delete(f"{API}/role-grants/{first.json()['id']}", **EN)

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["role"] == "crew" and first.json()["person_name"] == "李操作"
    assert [g["id"] for g in listed["items"]] == [first.json()["id"]]
    assert (deleted.status_code, deleted.json()) == (200, {"revoked": True})
    assert not RoleGrant.objects.filter(user=operator_login).exists()


def test_api_refuses_a_wider_grant_in_chinese_and_changes_nothing(
    settings, client, unit_head_user, operator_login, people
):
    client.force_login(unit_head_user)
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    response = client.post(
        f"{API}/role-grants",
        {"person_id": people["operator"].pk, "role": "office"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert response.json()["error"]["message"] == "您不能授予“防控办”：超出了您自己的角色范围。"
    assert not RoleGrant.objects.filter(user=operator_login).exists()


def test_api_refuses_an_unknown_role_and_a_person_without_login(client, office_user, people):
    client.force_login(office_user)
    unknown = client.post(
        f"{API}/role-grants",
        {"person_id": people["head"].pk, "role": "emperor"},
        content_type="application/json",
        **EN,
    )
    no_login = client.post(
        f"{API}/role-grants",
        {"person_id": people["other_plant"].pk, "role": "monitor"},
        content_type="application/json",
        **EN,
    )

    assert (unknown.status_code, unknown.json()["error"]["fields"]) == (
        400,
        {"role": "Unknown role “emperor”."},
    )
    assert no_login.status_code == 400
    assert no_login.json()["error"]["code"] == "wrong_state"
    assert RoleGrant.objects.count() == 1  # the office's own


# --- bulk import ------------------------------------------------------------------------

HEADER = ["工号", "角色", "单位编码", "站点"]


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_grants_every_row_and_a_reimport_changes_nothing(
    org, office_user, operator_login, other_login, tree
):
    data = xlsx([["E2", "抢修队员", "P1A"], ["E3", "盯控人/志愿者", "P2"], ["E3", "领导", ""]])

    first = grants.import_grants(org, data, "g.xlsx", by=office_user)
    entries = LogEntry.objects.count()
    again = grants.import_grants(org, data, "g.xlsx", by=office_user)

    assert first.tally == Tally(created=3, updated=0, unchanged=0)
    assert again.tally == Tally(created=0, updated=0, unchanged=3)
    assert LogEntry.objects.count() == entries
    assert set(RoleGrant.objects.exclude(user=office_user).values_list("role", "unit__code")) == {
        ("crew", "P1A"),
        ("monitor", "P2"),
        ("leader", None),
    }


def test_import_with_bad_rows_grants_nothing_and_names_each_row(
    org, unit_head_user, operator_login, people, tree
):
    data = xlsx(
        [
            ["E2", "盯控人", "P1A"],  # good
            ["E9", "门岗", "P1A"],  # nobody
            ["E2", "皇帝", "P1A"],  # unknown role
            ["E2", "防控办", ""],  # wider than a unit head's
            ["E3", "盯控人", "P2"],  # outside the head's unit: neither is found
            ["E2", "盯控人", "ZZ"],  # no such unit
        ]
    )

    report = grants.import_grants(org, data, "g.xlsx", by=unit_head_user)

    assert report.tally is None
    assert [(r.row, r.errors) for r in report.bad_rows] == [
        (3, ["No person with employee number E9."]),
        (4, ["Unknown role “皇帝”."]),
        (5, ["You may not grant “Control office”: that is wider than your own role."]),
        (6, ["No person with employee number E3.", "No unit with code P2."]),
        (7, ["No unit with code ZZ."]),
    ]
    assert not RoleGrant.objects.filter(user=operator_login).exists()


def test_import_page_and_template(client, office_user, operator_login):
    client.force_login(office_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("core:grants_import"),
        {"file": SimpleUploadedFile("g.xlsx", xlsx([["E2", "抢修队员", "P1A"]]))},
    )
    template = client.get(reverse("core:grants_template"), {"format": "csv"})

    assert 'data-testid="import-summary"' in response.content.decode()
    assert RoleGrant.objects.filter(user=operator_login, role="crew").exists()
    assert template.content.decode("utf-8-sig").strip() == "工号,角色,单位编码,站点"


def test_people_without_login_are_named_in_the_import_report(org, office_user, tree):
    PersonFactory(unit=tree["plant2"], name="孙无号", employee_no="E7")

    report = grants.import_grants(org, xlsx([["E7", "抢修队员", "P2"]]), "g.xlsx", by=office_user)

    assert [r.row for r in report.bad_rows] == [2]
    assert "create logins" in report.bad_rows[0].errors[0]


def test_the_database_holds_one_organization_wide_grant_per_role(operator_login):
    """Two requests at once cannot both insert it: the second hits the constraint, and
    grants.grant answers it with the first grant."""
    RoleGrant.objects.create(user=operator_login, role="leader", unit=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=operator_login, role="leader", unit=None)


def test_a_grant_lost_to_a_parallel_request_returns_the_winner(
    monkeypatch, office_user, operator_login, people
):
    winner = RoleGrant.objects.create(user=operator_login, role="leader", unit=None)
    real_filter = RoleGrant.objects.filter
    calls = []

    def stale_first_look(*args, **kwargs):
        # The first look happens before the parallel insert: it finds nothing.
        calls.append(kwargs)
        qs = real_filter(*args, **kwargs)
        return qs.none() if len(calls) == 1 else qs

    monkeypatch.setattr(RoleGrant.objects, "filter", stale_first_look)
    g, created = grants.grant(people["operator"], "leader", None, by=office_user)

    assert (g.pk, created) == (winner.pk, False)
    assert RoleGrant.objects.filter(user=operator_login).count() == 1


def test_unit_head_gets_a_revoke_button_only_for_roles_they_may_grant(
    client, unit_head_user, operator_login, office_user, people, tree
):
    lab = grants.grant(people["operator"], "lab_tech", tree["shift_a"], by=office_user)[0]
    monitor = grants.grant(people["operator"], "monitor", tree["shift_a"], by=office_user)[0]
    client.force_login(unit_head_user)

    page = client.get(reverse("core:person", args=[people["operator"].pk])).content.decode()
    refused = client.post(reverse("core:grant_revoke", args=[lab.pk]), follow=True)

    assert reverse("core:grant_revoke", args=[monitor.pk]) in page
    assert reverse("core:grant_revoke", args=[lab.pk]) not in page
    assert "You may not grant “Lab technician”" in refused.content.decode()
    assert RoleGrant.objects.filter(pk=lab.pk).exists()


def test_an_import_that_grants_leaves_one_audit_event_in_words(org, office_user, operator_login):
    from headwater.core import audit_display

    grants.import_grants(org, xlsx([["E2", "抢修队员", "P1A"]]), "g.xlsx", by=office_user)

    event = LogEntry.objects.filter(changes__has_key="role_grant_import").get()
    assert event.changes["role_grant_import"] == [None, "1 created, 0 updated, 0 unchanged"]
    audit_display.describe([event], org)
    assert ("role grant import", "1 created, 0 updated, 0 unchanged") in [
        (str(label), after) for label, _before, after in event.rows
    ]


def test_a_leaver_gets_no_role(office_user, operator_login, people, tree):
    operator = people["operator"]
    operator.employment_status = "left"
    operator.save(update_fields=["employment_status"])

    with pytest.raises(DomainError) as e:
        grants.grant(operator, "monitor", tree["shift_a"], by=office_user)

    assert e.value.message == "李操作 has left; a leaver gets no roles."
    assert not RoleGrant.objects.filter(user=operator_login).exists()


# --- a gate guard at a site ---------------------------------------------------------------


@pytest.fixture
def gates(org, tree, outsider):
    """Two gates of plant 1's shift A and plant 2, and one of another organization."""
    return {
        "east": SiteFactory(
            organization=org, unit=tree["shift_a"], name="一号门", code="G1", kind="checkpoint"
        ),
        "west": SiteFactory(
            organization=org, unit=tree["plant2"], name="二号门", code="G2", kind="checkpoint"
        ),
        "foreign": SiteFactory(
            organization=outsider.organization, name="外地门", code="X1", kind="checkpoint"
        ),
    }


def test_a_guard_is_granted_at_sites_and_sites_of_reads_them(
    office_user, operator_login, people, tree, gates
):
    east, created = grants.grant(people["operator"], "guard", site=gates["east"], by=office_user)
    west, _ = grants.grant(people["operator"], "guard", site=gates["west"], by=office_user)
    again, created_again = grants.grant(
        people["operator"], "guard", site=gates["east"], by=office_user
    )

    assert (created, created_again, again.pk) == (True, False, east.pk)
    assert (east.unit, west.unit) == (tree["shift_a"], tree["plant2"])
    assert list(grants.sites_of(operator_login)) == [gates["east"], gates["west"]]
    assert list(grants.sites_of(office_user)) == []
    assert list(grants.sites_of(operator_login, "crew")) == []


def test_a_guard_without_a_site_or_with_another_unit_is_refused(
    office_user, operator_login, people, tree, gates
):
    with pytest.raises(DomainError) as no_site:
        grants.grant(people["operator"], "guard", tree["shift_a"], by=office_user)
    with pytest.raises(DomainError) as other_unit:
        grants.grant(people["operator"], "guard", tree["plant2"], gates["east"], by=office_user)

    assert no_site.value.fields == {"site": "A gate guard is granted at a site: choose the site."}
    assert other_unit.value.message == (
        "A gate guard's unit is that of their site: leave the unit empty."
    )
    assert not RoleGrant.objects.filter(user=operator_login).exists()


def test_a_site_on_another_role_is_refused(office_user, operator_login, people, tree, gates):
    with pytest.raises(DomainError) as refused:
        grants.grant(people["operator"], "crew", tree["shift_a"], gates["east"], by=office_user)

    assert refused.value.message == (
        "Only a gate guard is granted at a site: leave the site empty for “Repair crew”."
    )
    assert not RoleGrant.objects.filter(user=operator_login).exists()


def test_a_site_of_another_organization_is_refused(office_user, operator_login, people, gates):
    with pytest.raises(NotAllowed):
        grants.grant(people["operator"], "guard", site=gates["foreign"], by=office_user)

    assert not RoleGrant.objects.filter(user=operator_login).exists()


def test_a_unit_head_may_not_grant_a_guard(unit_head_user, operator_login, people, gates):
    with pytest.raises(NotAllowed) as refused:
        grants.grant(people["operator"], "guard", site=gates["east"], by=unit_head_user)

    assert "wider than your own role" in refused.value.message
    assert not RoleGrant.objects.filter(user=operator_login).exists()


def test_the_database_holds_one_grant_per_guard_and_site(operator_login, tree, gates):
    RoleGrant.objects.create(
        user=operator_login, role="guard", unit=tree["shift_a"], site=gates["east"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(
            user=operator_login, role="guard", unit=tree["shift_a"], site=gates["east"]
        )


def test_person_page_grants_a_guard_at_the_chosen_site(
    client, office_user, operator_login, people, tree, gates
):
    client.force_login(office_user)
    url = reverse("core:person", args=[people["operator"].pk])
    form = client.get(url).content.decode()

    # The unit select is ignored for a guard: the grant's unit is the site's.
    client.post(
        reverse("core:person_grant", args=[people["operator"].pk]),
        {"role": "guard", "unit": "", "site": str(gates["west"].pk)},
    )
    page = client.get(url).content.decode()
    # The site select left set is ignored for another role: it is granted over the unit.
    client.post(
        reverse("core:person_grant", args=[people["operator"].pk]),
        {"role": "crew", "unit": str(tree["shift_a"].pk), "site": str(gates["west"].pk)},
    )

    assert 'name="site"' in form and "一号门 (G1)" in form and "外地门" not in form
    assert "二号门" in page
    assert set(
        RoleGrant.objects.filter(user=operator_login).values_list("role", "site", "unit")
    ) == {("guard", gates["west"].pk, tree["plant2"].pk), ("crew", None, tree["shift_a"].pk)}


def test_person_page_refuses_a_guard_without_a_site(
    client, office_user, operator_login, people, tree
):
    client.force_login(office_user)
    response = client.post(
        reverse("core:person_grant", args=[people["operator"].pk]),
        {"role": "guard", "unit": str(tree["shift_a"].pk), "site": ""},
        follow=True,
    )

    assert "A gate guard is granted at a site: choose the site." in response.content.decode()
    assert not RoleGrant.objects.filter(user=operator_login).exists()


def test_grants_list_shows_and_filters_by_site(client, office_user, operator_login, people, gates):
    grants.grant(people["operator"], "guard", site=gates["east"], by=office_user)
    client.force_login(office_user)

    east = table(client.get(reverse("core:grants"), {"site": gates["east"].pk}))
    west = table(client.get(reverse("core:grants"), {"site": gates["west"].pk}))

    assert "李操作" in east and "一号门" in east
    assert "李操作" not in west


def test_api_grants_a_guard_at_a_site_and_refuses_a_foreign_site(
    client, office_user, operator_login, people, tree, gates
):
    client.force_login(office_user)
    body = {"person_id": people["operator"].pk, "role": "guard", "site_id": gates["east"].pk}

    first = client.post(f"{API}/role-grants", body, content_type="application/json", **EN)
    second = client.post(f"{API}/role-grants", body, content_type="application/json", **EN)
    listed = client.get(f"{API}/role-grants", {"site_id": gates["east"].pk}, **EN).json()
    foreign = client.post(
        f"{API}/role-grants",
        {**body, "site_id": gates["foreign"].pk},
        content_type="application/json",
        **EN,
    )
    on_crew = client.post(
        f"{API}/role-grants",
        {**body, "role": "crew", "unit_id": tree["shift_a"].pk},
        content_type="application/json",
        **EN,
    )

    assert (first.status_code, second.status_code) == (201, 200)
    assert {k: first.json()[k] for k in ("role", "site_id", "site_name", "unit_id")} == {
        "role": "guard",
        "site_id": gates["east"].pk,
        "site_name": "一号门",
        "unit_id": tree["shift_a"].pk,
    }
    assert [g["id"] for g in listed["items"]] == [first.json()["id"]]
    assert foreign.status_code == 400
    assert foreign.json()["error"]["fields"] == {"site_id": "Choose a site of your organization."}
    assert on_crew.status_code == 400
    assert "Only a gate guard is granted at a site" in on_crew.json()["error"]["message"]
    assert RoleGrant.objects.filter(user=operator_login).count() == 1


def test_import_grants_guards_at_sites_by_code_or_name_and_a_reimport_changes_nothing(
    org, office_user, operator_login, tree, gates
):
    data = xlsx([["E2", "门岗", "", "G1"], ["E2", "门岗", "", "二号门"]])

    first = grants.import_grants(org, data, "g.xlsx", by=office_user)
    again = grants.import_grants(org, data, "g.xlsx", by=office_user)

    assert first.tally == Tally(created=2, updated=0, unchanged=0)
    assert again.tally == Tally(created=0, updated=0, unchanged=2)
    assert set(
        RoleGrant.objects.filter(user=operator_login).values_list("site__code", "unit__code")
    ) == {
        ("G1", "P1A"),
        ("G2", "P2"),
    }


def test_import_refuses_bad_sites_and_grants_nothing(org, office_user, operator_login, gates):
    data = xlsx(
        [
            ["E2", "门岗", "", "G1"],  # good
            ["E2", "门岗", "", ""],  # a guard without a site
            ["E2", "抢修队员", "P1A", "G1"],  # a site on another role
            ["E2", "门岗", "", "X1"],  # another organization's site: unknown
        ]
    )

    report = grants.import_grants(org, data, "g.xlsx", by=office_user)

    assert report.tally is None
    assert [(r.row, r.errors) for r in report.bad_rows] == [
        (3, ["A gate guard is granted at a site: choose the site."]),
        (4, ["Only a gate guard is granted at a site: leave the site empty for “Repair crew”."]),
        (5, ["No site with code or name X1."]),
    ]
    assert not RoleGrant.objects.filter(user=operator_login).exists()
