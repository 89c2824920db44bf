"""Helpers of the water-quality API tests: requests as a user, a task due on the tests' day,
answers read back. The tests' clock stands at 09:00 on DAY (each file's `morning` fixture)."""

import datetime as dt

from headwater.quality.models import SamplingTask
from headwater.quality.tests.conftest import at

API = "/api/v1/quality"
DAY = dt.date(2026, 11, 2)


def post(client, path: str, body: dict, **headers):
    return client.post(f"{API}{path}", body, content_type="application/json", **headers)


def patch(client, path: str, body: dict):
    return client.patch(f"{API}{path}", body, content_type="application/json")


def get(client, path: str, headers=None, **params):
    return client.get(f"{API}{path}", params, headers=headers)


def as_user(client, user):
    client.force_login(user)
    return client


def make_task(point, hour: int = 8, indicators=("turbidity", "free_chlorine")) -> SamplingTask:
    return SamplingTask.objects.create(
        organization=point.organization,
        point=point,
        lab=point.lab,
        indicators=list(indicators),
        due_at=at(DAY, hour),
        deadline=at(DAY, hour + 8),
    )


def when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def codes(response) -> list[str]:
    return [item["code"] for item in response.json()["items"]]
