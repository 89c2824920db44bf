"""The alerts panel of the command dashboard, through GET /api/v1/dashboard: the organization's
latest alerts, newest first, coloured by severity, handled ones dimmed; never another
organization's."""

import datetime as dt

from headwater.alerts.models import Alert
from headwater.alerts.screen import LATEST
from headwater.core.tests.timing import at

DAY = dt.date(2026, 3, 10)


def _alert(org, title, when, severity="warning", **fields):
    return Alert.objects.create(
        organization=org, kind="test", title=title, severity=severity, created_at=when, **fields
    )


def _latest(client, user) -> dict:
    client.force_login(user)
    response = client.get("/api/v1/dashboard")
    assert response.status_code == 200
    return {p["key"]: p for p in response.json()["panels"]}["alerts.latest"]


def test_latest_alerts_newest_first_coloured_by_severity(
    client, org, tree, office_user, outsider, clock_at
):
    clock_at(at(DAY, 15))
    old = _alert(org, "昨日余氯偏低", at(DAY - dt.timedelta(days=1), 22, 10), "info")
    closed = _alert(
        org, "一厂停电", at(DAY, 8), "critical", unit=tree["plant1"], closed_at=at(DAY, 9)
    )
    new = _alert(org, "二厂体温异常", at(DAY, 14, 45), "critical", unit=tree["plant2"])
    _alert(outsider.organization, "外地告警", at(DAY, 14, 50), "critical")

    latest = _latest(client, office_user)

    assert (latest["title"], latest["kind"], latest["size"]) == ("实时告警", "list", "t")
    assert latest["note"] == f"最新在前，最近 {LATEST} 条"
    assert latest["data"]["items"] == [
        {
            "id": f"alert-{new.pk}",
            "time": "14:45",
            "text": "二厂体温异常",
            "note": "第二水厂",
            "colour": "danger",
            "muted": False,
        },
        {
            "id": f"alert-{closed.pk}",
            "time": "08:00",
            "text": "一厂停电",
            "note": "第一水厂 · 已关闭",
            "colour": "danger",
            "muted": True,
        },
        {
            "id": f"alert-{old.pk}",
            "time": "03-09 22:10",
            "text": "昨日余氯偏低",
            "note": "",
            "colour": "info",
            "muted": False,
        },
    ]


def test_only_the_latest_are_listed(client, org, office_user, clock_at):
    clock_at(at(DAY, 15))
    for i in range(LATEST + 3):
        _alert(org, f"告警{i}", at(DAY, 8, i))

    items = _latest(client, office_user)["data"]["items"]

    assert len(items) == LATEST
    assert items[0]["text"] == f"告警{LATEST + 2}"
    assert items[-1]["text"] == "告警3"
