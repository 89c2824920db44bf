"""The notices part of `headwater demo`: the handbook to acknowledge and a daily question, to
everybody, two in three done."""

import pytest

from headwater.core.models import Person
from headwater.core.tests.demo_kit import demo_with
from headwater.notices import demo as notices_demo
from headwater.notices.models import Notice, Receipt


@pytest.fixture
def demo_org(db, settings, monkeypatch):
    return demo_with(settings, monkeypatch, notices_demo.build)


def test_the_demo_has_two_notices_to_everybody_two_in_three_done(demo_org):
    staff = Person.objects.filter(organization=demo_org).exclude(employment_status="left")
    notices = Notice.objects.filter(organization=demo_org).order_by("pk")
    assert [n.requirement for n in notices] == ["acknowledge", "quiz"]
    for notice in notices:
        receipts = Receipt.objects.filter(notice=notice)
        assert receipts.count() == notice.audience == staff.count()
        done = receipts.filter(acknowledged_at__isnull=False).count()
        assert abs(done - staff.count() * 2 / 3) <= 2
    quiz = Receipt.objects.filter(notice=notices[1], acknowledged_at__isnull=False)
    assert set(quiz.values_list("correct", flat=True)) == {True}
    assert quiz.filter(attempts=2).exists()
