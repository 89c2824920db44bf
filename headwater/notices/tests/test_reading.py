"""Staff read their notices: opening marks read, one tap confirms, an acknowledgement accepts
the statement, a quiz records a wrong answer and takes a right one; retries change nothing."""

import pytest
from django.urls import reverse

from headwater.core.errors import DomainError, NotAllowed
from headwater.notices import services
from headwater.notices.models import Receipt
from headwater.notices.querysets import unread_count

pytestmark = pytest.mark.django_db

QUIZ = {
    "kind": "training",
    "requirement": "quiz",
    "question": "进入厂区前应当？",
    "options": ["直接进入", "测温扫码", "无需登记"],
    "answer": 1,
}


def receipt_of(notice, user) -> Receipt:
    return Receipt.objects.get(notice=notice, person_id=user.person_id)


def test_opening_a_notice_marks_it_read_once(publish, staff_user, client):
    notice = publish()
    client.force_login(staff_user)
    assert client.get(reverse("notices:open", args=[notice.pk])).status_code == 200
    first = receipt_of(notice, staff_user).read_at
    assert first is not None
    client.get(reverse("notices:open", args=[notice.pk]))
    receipt = receipt_of(notice, staff_user)
    assert receipt.read_at == first
    assert receipt.acknowledged_at is None


def test_one_tap_confirms_reading_and_the_badge_drops(publish, staff_user, client):
    notice = publish()
    assert unread_count(staff_user) == 1
    client.force_login(staff_user)
    response = client.post(reverse("notices:confirm", args=[notice.pk]), {"key": "a"})
    assert response.status_code == 302
    receipt = receipt_of(notice, staff_user)
    assert receipt.read_at is not None
    assert receipt.acknowledged_at is not None
    assert unread_count(staff_user) == 0


def test_an_acknowledgement_is_shown_and_accepted(publish, staff_user, client):
    notice = publish(requirement="acknowledge", statement="我已知晓并遵守")
    client.force_login(staff_user)
    html = client.get(reverse("notices:open", args=[notice.pk])).content.decode()
    assert "我已知晓并遵守" in html
    client.post(reverse("notices:confirm", args=[notice.pk]), {"key": "a"})
    assert receipt_of(notice, staff_user).acknowledged_at is not None


def test_a_wrong_answer_is_recorded_and_a_right_one_is_done(publish, staff_user):
    notice = publish(**QUIZ)
    receipt = receipt_of(notice, staff_user)
    wrong, changed = services.confirm(receipt, by=staff_user, answer=0, key="try-1")
    assert changed
    assert (wrong.answer, wrong.correct, wrong.attempts) == (0, False, 1)
    assert wrong.acknowledged_at is None
    assert wrong.read_at is not None
    right, changed = services.confirm(receipt, by=staff_user, answer=1, key="try-2")
    assert (right.answer, right.correct, right.attempts) == (1, True, 2)
    assert right.acknowledged_at is not None
    again, changed = services.confirm(receipt, by=staff_user, answer=0, key="try-3")
    assert not changed
    assert (again.answer, again.correct, again.attempts) == (1, True, 2)


def test_a_retried_answer_with_the_same_key_counts_once(publish, staff_user):
    notice = publish(**QUIZ)
    receipt = receipt_of(notice, staff_user)
    services.confirm(receipt, by=staff_user, answer=0, key="same")
    services.confirm(receipt, by=staff_user, answer=0, key="same")
    assert receipt_of(notice, staff_user).attempts == 1


def test_an_answer_outside_the_options_is_refused_and_nothing_recorded(publish, staff_user):
    notice = publish(**QUIZ)
    receipt = receipt_of(notice, staff_user)
    for bad in (None, 3, -1, "x", True):
        with pytest.raises(DomainError) as refused:
            services.confirm(receipt, by=staff_user, answer=bad)
        assert "answer" in refused.value.fields
    fresh = receipt_of(notice, staff_user)
    assert (fresh.attempts, fresh.read_at, fresh.answer) == (0, None, None)


def test_the_quiz_page_says_try_again_after_a_wrong_answer(publish, staff_user, english):
    notice = publish(**QUIZ)
    english.force_login(staff_user)
    english.post(reverse("notices:confirm", args=[notice.pk]), {"answer": "2", "key": "a"})
    html = english.get(reverse("notices:open", args=[notice.pk])).content.decode()
    assert "Not right yet (1 try); choose again." in html
    english.post(reverse("notices:confirm", args=[notice.pk]), {"answer": "1", "key": "b"})
    assert receipt_of(notice, staff_user).correct is True


def test_nobody_confirms_somebody_elses_notice(publish, staff_user, unit_head_user, client):
    notice = publish()
    receipt = receipt_of(notice, staff_user)
    with pytest.raises(NotAllowed):
        services.confirm(receipt, by=unit_head_user)
    with pytest.raises(NotAllowed):
        services.mark_read(receipt, by=unit_head_user)
    assert receipt_of(notice, staff_user).read_at is None


def test_a_notice_outside_the_audience_is_not_found(publish, staff_user, tree, client):
    notice = publish(units=[tree["plant2"]])
    client.force_login(staff_user)
    assert client.get(reverse("notices:open", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notices:confirm", args=[notice.pk])).status_code == 404
    assert Receipt.objects.filter(read_at__isnull=False).count() == 0


def test_my_notices_lists_the_not_done_first(publish, staff_user, english):
    old = publish(title="旧通知")
    new = publish(title="新通知")
    services.confirm(receipt_of(new, staff_user), by=staff_user)
    english.force_login(staff_user)
    html = english.get(reverse("notices:mine")).content.decode()
    assert html.index("旧通知") < html.index("新通知")
    assert 'data-testid="notices-count">1<' in html
    assert old.pk != new.pk


def test_body_text_is_escaped_with_its_line_breaks(publish, staff_user, client):
    notice = publish(body="<script>alert(1)</script>\n第二行")
    client.force_login(staff_user)
    html = client.get(reverse("notices:open", args=[notice.pk])).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>第二行" in html
