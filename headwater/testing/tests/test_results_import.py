"""The laboratory's results sheet: effects in bulk, every bad row named with nothing written,
a re-import that changes nothing and raises nothing new; the page and the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from headwater.alerts.models import Alert
from headwater.testing.choices import CampaignState, EntryStatus
from headwater.testing.models import Retest, Tube
from headwater.testing.services.results_import import import_results
from headwater.testing.tests.results_helpers import sample_into, sheet, statuses

pytestmark = pytest.mark.django_db
WHEN = "2020-02-01 10:00"


@pytest.fixture
def pools(tubes, roster):
    """Two people in tube 1, two in tube 2."""
    sample_into(tubes[0], roster[:2])
    sample_into(tubes[1], roster[2:])
    return tubes


def test_an_import_clears_negatives_and_flags_the_positive_pool(org, office_user, roster, pools):
    data = sheet([(pools[0].barcode, "阴性", WHEN, "2"), (pools[1].barcode, "阳性", WHEN, "")])

    report = import_results(org, data, "结果.csv", by=office_user)

    assert report.ok, report.bad_rows
    assert (report.total, report.tally.updated, report.tally.unchanged) == (2, 2, 0)
    assert statuses(roster) == ["cleared", "cleared", "retest", "retest"]
    assert sorted(Retest.objects.values_list("entry_id", flat=True)) == sorted(
        e.pk for e in roster[2:]
    )
    assert list(Alert.objects.values_list("kind", flat=True)) == ["testing.positive_pool"]
    assert Tube.objects.get(pk=pools[0].pk).lab_members == 2


def test_importing_the_same_file_again_changes_nothing(org, office_user, roster, pools):
    data = sheet([(pools[0].barcode, "negative", WHEN), (pools[1].barcode, "positive", WHEN)])
    import_results(org, data, "结果.csv", by=office_user)

    again = import_results(org, data, "结果.csv", by=office_user)

    assert (again.ok, again.tally.updated, again.tally.unchanged) == (True, 0, 2)
    assert (Retest.objects.count(), Alert.objects.count()) == (2, 1)


def test_every_bad_row_is_named_and_nothing_is_written(org, office_user, campaign, roster, pools):
    from headwater.testing.tests.factories import make_campaign, make_tubes

    closed = make_campaign(org, name="旧一轮", state=CampaignState.CLOSED)
    old_tube = make_tubes(closed, count=1, prefix="OLD")[0]
    data = sheet(
        [
            (pools[0].barcode, "阴性", WHEN),  # row 2: good
            ("X999", "阴性", WHEN),  # row 3: unknown tube
            (pools[0].barcode, "阳性", WHEN),  # row 4: duplicate of row 2
            (pools[1].barcode, "可能", WHEN),  # row 5: bad result
            (pools[2].barcode, "阴性", "2999-01-01 08:00"),  # row 6: future
            (pools[3].barcode, "阴性", "昨天"),  # row 7: not a time
            (pools[4].barcode, "阴性", WHEN, "abc"),  # row 8: bad count
            (old_tube.barcode, "阴性", WHEN),  # row 9: closed campaign
        ]
    )

    report = import_results(org, data, "结果.csv", by=office_user)

    assert not report.ok and report.tally is None
    assert [r.row for r in report.bad_rows] == [3, 4, 5, 6, 7, 8, 9]
    reasons = {r.row: " ".join(r.errors) for r in report.bad_rows}
    assert "X999" in reasons[3]
    assert "2" in reasons[4]
    assert "可能" in reasons[5]
    assert "2999-01-01 08:00" in reasons[6]
    assert "昨天" in reasons[7]
    assert "abc" in reasons[8]
    assert "旧一轮" in reasons[9]
    assert set(Tube.objects.values_list("result", flat=True)) == {"pending"}
    assert statuses(roster) == [EntryStatus.SAMPLED] * 4
    assert (Retest.objects.count(), Alert.objects.count()) == (0, 0)


def test_a_different_result_than_recorded_is_a_bad_row(org, office_user, roster, pools):
    import_results(org, sheet([(pools[0].barcode, "阴性", WHEN)]), "a.csv", by=office_user)

    report = import_results(org, sheet([(pools[0].barcode, "阳性", WHEN)]), "b.csv", by=office_user)

    assert [r.row for r in report.bad_rows] == [2]
    assert Tube.objects.get(pk=pools[0].pk).result == "negative"


def test_english_headers_and_an_excel_file_are_read(org, office_user, roster, pools):
    import datetime as dt
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["barcode", "result", "result time"])
    book.active.append([pools[0].barcode, "negative", dt.datetime(2020, 2, 1, 9, 30)])
    out = io.BytesIO()
    book.save(out)

    report = import_results(org, out.getvalue(), "lab.xlsx", by=office_user)

    assert report.ok, report.bad_rows
    tube = Tube.objects.get(pk=pools[0].pk)
    assert (tube.result, tube.result_at.isoformat()) == ("negative", "2020-02-01T01:30:00+00:00")


def test_the_import_page_shows_the_row_report(client, office_user, roster, pools):
    client.force_login(office_user)
    upload = SimpleUploadedFile("结果.csv", sheet([("X999", "阴性", WHEN)]))

    response = client.post("/testing/results/import/", {"file": upload})

    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="bad-row"' in body and "X999" in body


def test_the_api_import_answers_422_with_the_rows(client, office_user, roster, pools):
    client.force_login(office_user)
    upload = SimpleUploadedFile("结果.csv", sheet([("X999", "阴性", WHEN)]))

    response = client.post("/api/v1/testing/results/import", {"file": upload})

    assert response.status_code == 422
    assert response.json()["error"]["rows"][0]["row"] == 2

    ok = SimpleUploadedFile("结果.csv", sheet([(pools[0].barcode, "阴性", WHEN)]))
    response = client.post("/api/v1/testing/results/import", {"file": ok})
    assert (response.status_code, response.json()) == (
        200,
        {"total": 1, "updated": 1, "unchanged": 0},
    )


def test_a_unit_head_may_not_import(client, unit_head_user, roster, pools):
    client.force_login(unit_head_user)
    upload = SimpleUploadedFile("结果.csv", sheet([(pools[0].barcode, "阴性", WHEN)]))

    assert client.post("/testing/results/import/", {"file": upload}).status_code == 403
    assert Tube.objects.get(pk=pools[0].pk).result == "pending"
