"""The notices part of `headwater demo`: the handbook to acknowledge and a daily question, to
everybody, two in three done."""

from io import StringIO

import pytest
from django.core.management import call_command

from headwater.core import demo as core_demo
from headwater.core.models import Organization, Person
from headwater.notices import demo as notices_demo
from headwater.notices.models import Notice, Receipt


@pytest.fixture
def demo_org(db, settings, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(core_demo, "EXTENSIONS", [notices_demo.build])
    call_command("demo", "--staff", "300", "--history-days", "2", stdout=StringIO())
    return Organization.objects.get(slug="demo")


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
