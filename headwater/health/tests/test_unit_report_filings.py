"""Possible concealment (可能瞒报) judged at each sending of a unit's daily report: every
filing is kept with what was known then; later corrections of check-ins do not erase a flag;
a re-filed zero report is judged when it is re-filed; the office clears a flag with a reason.
Contradictory counts are refused. The unit head's page shows today's figures after warning.

Office pages are asked for in English (the language cookie) so that messages are msgids."""

import json

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from headwater.core.errors import DomainError, NotAllowed
from headwater.health import services
from headwater.health.models import UnitReport, UnitReportFiling
from headwater.health.tests.office_pages import OVERVIEW, at, check_in, unit_row, zero_report

API = "/api/v1/health"


def report_of(tree) -> UnitReport:
    return UnitReport.objects.get(unit=tree["plant1"])


def post_json(client, path, body, **extra):
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json", **extra)


# --- Judged at each filing, kept ------------------------------------------------------------


def test_correcting_the_fever_checkin_after_a_zero_report_does_not_erase_the_flag(
    office, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    fever = check_in(people["operator"], "38.4", symptoms=["cough"])
    time_machine.move_to(at(9))
    zero_report(tree["plant1"], unit_head_user)
    time_machine.move_to(at(9, 30))
    check_in(people["operator"], "36.5")  # the same slot: a correction, no longer abnormal

    response = office.get(OVERVIEW)

    row = unit_row(response, tree["plant1"])
    assert row.abnormal == 0
    assert [c.pk for c in row.evidence] == [fever.pk]
    assert row.evidence[0].description == "38.4 °C, Cough"  # as it was when the report went
    assert response.context["flagged"] == 1
    assert 'data-testid="concealment-flag"' in response.content.decode()


def test_a_zero_report_refiled_after_a_new_fever_is_judged_when_it_is_refiled(
    office, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    zero_report(tree["plant1"], unit_head_user)
    time_machine.move_to(at(8, 30))
    fever = check_in(people["operator"], "38.4")
    time_machine.move_to(at(9))
    zero_report(tree["plant1"], unit_head_user)

    report = report_of(tree)
    first, second = report.filings.all()
    assert (first.filed_at, first.abnormal_known, first.contradicts) == (at(8), 0, False)
    assert (second.filed_at, second.abnormal_known, second.contradicts) == (at(9), 1, True)
    assert report.flag == second
    assert report.submitted_at == at(8)  # still on time: the first sending
    row = unit_row(office.get(OVERVIEW), tree["plant1"])
    assert [c.pk for c in row.evidence] == [fever.pk]


def test_a_later_true_report_keeps_the_flag_until_the_office_clears_it_with_a_reason(
    office, office_user, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    check_in(people["operator"], "38.4")
    time_machine.move_to(at(9))
    zero_report(tree["plant1"], unit_head_user)
    time_machine.move_to(at(9, 10))
    services.submit_unit_report(
        tree["plant1"], by=unit_head_user, counts={"on_duty": 2, "abnormal": 1}
    )

    report = report_of(tree)
    flagging = report.filings.get(is_zero=True)
    assert (report.abnormal, report.is_zero, report.flag) == (1, False, flagging)
    assert [f.contradicts for f in report.filings.all()] == [True, False]
    assert unit_row(office.get(OVERVIEW), tree["plant1"]).flag == flagging

    time_machine.move_to(at(10))
    cleared, created = services.clear_concealment_flag(
        report, by=office_user, reason="  已核实：厂长 9:10 已更正  "
    )

    assert (cleared.flag, created) == (None, False)
    flagging.refresh_from_db()
    assert (flagging.cleared_at, flagging.cleared_by, flagging.clear_reason) == (
        at(10),
        office_user,
        "已核实：厂长 9:10 已更正",
    )
    entry = LogEntry.objects.get_for_object(cleared).order_by("-timestamp").first()
    assert (entry.actor, set(entry.changes_dict)) == (office_user, {"flag"})
    response = office.get(OVERVIEW)
    assert (unit_row(response, tree["plant1"]).evidence, response.context["flagged"]) == ([], 0)


def test_a_new_contradiction_after_clearing_raises_the_flag_again(
    office_user, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    check_in(people["operator"], "38.4")
    zero_report(tree["plant1"], unit_head_user)
    services.clear_concealment_flag(report_of(tree), by=office_user, reason="误报")
    time_machine.move_to(at(9))
    zero_report(tree["plant1"], unit_head_user)

    report = report_of(tree)
    assert report.flag == report.filings.order_by("filed_at").last()
    assert report.flag.cleared_at is None


def test_clearing_is_refused_without_a_reason_to_unit_heads_and_without_a_flag(
    office_user, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    check_in(people["operator"], "38.4")
    zero_report(tree["plant1"], unit_head_user)
    report = report_of(tree)

    with pytest.raises(DomainError) as no_reason:
        services.clear_concealment_flag(report, by=office_user, reason="   ")
    assert no_reason.value.fields == {"reason": "请说明清除标记的理由。"}
    with pytest.raises(NotAllowed):
        services.clear_concealment_flag(report, by=unit_head_user, reason="我自己清")
    assert report_of(tree).flag is not None

    services.clear_concealment_flag(report, by=office_user, reason="已核实")
    with pytest.raises(DomainError) as again:
        services.clear_concealment_flag(report, by=office_user, reason="已核实")
    assert (again.value.status, again.value.code) == (409, "wrong_state")


# --- Contradictory counts -------------------------------------------------------------------


def test_api_refuses_a_zero_report_claiming_two_abnormal_people_and_stores_nothing(
    client, unit_head_user, tree, time_machine
):
    time_machine.move_to(at(9))
    client.force_login(unit_head_user)
    body = {"unit_id": tree["plant1"].pk, "zero": True, "counts": {"on_duty": 5, "abnormal": 2}}

    response = post_json(client, "/unit-reports", body, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"] == "The counts contradict each other; nothing was saved."
    assert error["fields"] == {
        "abnormal": "A zero report has no abnormal people, but 2 are entered. Send the report "
        "with the counts instead, or enter 0 if nobody is abnormal."
    }
    assert (UnitReport.objects.count(), UnitReportFiling.objects.count()) == (0, 0)


def test_api_lists_the_filings_and_the_office_clears_the_flag(
    client, office_user, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    fever = check_in(people["operator"], "38.4")
    time_machine.move_to(at(9))
    report = zero_report(tree["plant1"], unit_head_user)
    client.force_login(office_user)

    listed = client.get(f"{API}/unit-reports?date=2026-02-10").json()["items"]
    assert [(r["possible_concealment"], r["flag_filing_id"]) for r in listed] == [
        (True, report.filings.get().pk)
    ]
    filings = client.get(f"{API}/unit-reports/{report.pk}/filings").json()
    assert [(f["is_zero"], f["possible_concealment"], f["abnormal_known"]) for f in filings] == [
        (True, True, 1)
    ]
    assert [(e["checkin_id"], e["name"], e["temperature"]) for e in filings[0]["evidence"]] == [
        (fever.pk, "李操作", "38.4")
    ]
    no_reason = post_json(client, f"/unit-reports/{report.pk}/clear-flag", {"reason": ""})
    assert (no_reason.status_code, list(no_reason.json()["error"]["fields"])) == (400, ["reason"])

    cleared = post_json(client, f"/unit-reports/{report.pk}/clear-flag", {"reason": "已核实"})

    assert cleared.status_code == 200
    assert (cleared.json()["possible_concealment"], cleared.json()["flag_filing_id"]) == (
        False,
        None,
    )
    again = post_json(client, f"/unit-reports/{report.pk}/clear-flag", {"reason": "已核实"})
    assert again.status_code == 409


def test_unit_head_may_read_the_filings_but_not_clear_the_flag(
    client, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    check_in(people["operator"], "38.4")
    report = zero_report(tree["plant1"], unit_head_user)
    client.force_login(unit_head_user)

    assert client.get(f"{API}/unit-reports/{report.pk}/filings").status_code == 200
    refused = post_json(client, f"/unit-reports/{report.pk}/clear-flag", {"reason": "没事"})

    assert refused.status_code == 403
    assert report_of(tree).flag is not None


# --- The office's page of a report's filings ------------------------------------------------


def test_office_sees_every_filing_and_clears_the_flag_on_the_page(
    office, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    check_in(people["operator"], "38.4", symptoms=["cough"])
    time_machine.move_to(at(9))
    report = zero_report(tree["plant1"], unit_head_user)
    check_in(people["operator"], "36.6")
    page = reverse("health:unit_report_filings", args=[report.pk])

    html = office.get(page).content.decode()
    assert 'data-testid="open-flag"' in html and 'data-testid="clear-form"' in html
    assert "38.4 °C, Cough" in html  # the check-in as it was, not as corrected
    assert 'data-contradicts="1"' in html

    refused = office.post(page, {"reason": " "})
    assert refused.status_code == 200
    assert refused.context["reason_error"] == "Say why the flag is cleared."
    assert report_of(tree).flag is not None

    done = office.post(page, {"reason": "已电话核实，体温计故障"})

    assert (done.status_code, done.url) == (302, page)
    html = office.get(page).content.decode()
    assert 'data-testid="no-flag"' in html
    assert "已电话核实，体温计故障" in html
    overview = office.get(OVERVIEW).content.decode()
    assert 'data-testid="concealment-flag"' not in overview


def test_the_filings_page_is_refused_to_unit_heads_and_404_outside_the_organization(
    client, unit_head_user, outsider, people, tree, time_machine
):
    time_machine.move_to(at(8))
    report = zero_report(tree["plant1"], unit_head_user)
    page = reverse("health:unit_report_filings", args=[report.pk])
    client.force_login(unit_head_user)
    assert client.get(page).status_code == 403
    client.force_login(outsider)
    assert client.get(page).status_code == 404
    assert client.post(page, {"reason": "x"}).status_code == 404


# --- Reports sent before filings were kept ---------------------------------------------------


def test_reports_sent_before_filings_get_one_judged_as_the_overview_judged_them(
    unit_head_user, people, tree, time_machine
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "headwater.health.migrations.0010_file_existing_unit_reports"
    )
    time_machine.move_to(at(8))
    fever = check_in(people["operator"], "38.4")
    old = UnitReport.objects.create(
        organization=tree["plant1"].organization,
        unit=tree["plant1"],
        date=at(9).date(),
        on_duty=2,
        is_zero=True,
        submitted_at=at(9),
        submitted_by=unit_head_user,
    )
    migration.file_existing(apps, None)
    migration.file_existing(apps, None)  # a report that has filings is left alone

    old.refresh_from_db()
    filing = old.filings.get()
    assert (filing.filed_at, filing.filed_by, filing.is_zero, filing.on_duty) == (
        at(9),
        unit_head_user,
        True,
        2,
    )
    assert (filing.contradicts, filing.abnormal_known, old.flag) == (True, 1, filing)
    assert [e["checkin"] for e in filing.evidence] == [fever.pk]
