"""Two writers at once, on PostgreSQL (SQLite has one writer at a time and no row locks, so
there is no race to lose there): each writer is a thread with its own database connection,
interleaved with events at the moment that matters."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from headwater.core.errors import DomainError
from headwater.core.models import IdempotencyKey
from headwater.quality import services
from headwater.quality.models import Result, Sample, SamplingTask
from headwater.quality.services import entry, review
from headwater.quality.tests.conftest import at

DAY = dt.date(2026, 11, 2)
WAIT = 10  # seconds: far longer than any step here takes, short enough to fail rather than hang

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and parallel writers: PostgreSQL"
    ),
]


@pytest.fixture(autouse=True)
def monday(clock_at):
    clock_at(at(DAY, 10))


def in_thread(write) -> tuple[threading.Thread, dict]:
    """Start `write` in a thread of its own (so its own connection); the box gets its "value"
    or its "error"."""
    box: dict = {}

    def run():
        try:
            box["value"] = write()
        except Exception as e:  # noqa: BLE001 - the test inspects whatever it raised
            box["error"] = e
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, box


def test_a_correction_meeting_the_lab_heads_check_is_refused_not_overwritten(
    points, labs, technician, lab_head, monkeypatch
):
    task = SamplingTask.objects.create(
        organization=points["finished"].organization,
        point=points["finished"],
        lab=labs["plant1"],
        indicators=["turbidity"],
        due_at=at(DAY, 8),
        deadline=at(DAY, 16),
    )

    def enter(value: str):
        return services.record_sample(
            task.point, sampled_at=at(DAY, 9), values={"turbidity": value}, by=technician, task=task
        )

    sample, _created = enter("0.3")
    result = sample.results.get()
    has_read, correction_done = threading.Event(), threading.Event()
    different_person = review._different_person

    def reviewer_has_read(results, by, to_state):
        # The lab head has the rows in hand and is about to write: the technician's
        # correction gets its chance to commit now (it cannot while the rows are locked).
        has_read.set()
        correction_done.wait(timeout=3)
        return different_person(results, by, to_state)

    monkeypatch.setattr(review, "_different_person", reviewer_has_read)
    check, checked = in_thread(lambda: services.check_results([result], by=lab_head))
    assert has_read.wait(timeout=WAIT)

    def correct():
        try:
            return enter("0.4")
        finally:
            correction_done.set()

    fix, fixed = in_thread(correct)
    check.join(WAIT)
    fix.join(WAIT)

    # The check holds the rows until it commits; the correction then finds the result checked
    # and is refused, so the technician knows 0.4 was not stored (on the old code it went
    # through and the check's save silently put 0.3 back).
    result.refresh_from_db()
    assert (result.status, result.raw, result.checked_by) == ("checked", "0.3", lab_head)
    assert checked == {"value": 1}
    assert isinstance(fixed.get("error"), DomainError), (
        f"the correction to 0.4 was accepted ({fixed}) yet 0.3 is stored: overwritten"
    )
    assert fixed["error"].code == "already_checked"


def test_two_copies_of_a_keyed_entry_in_parallel_make_one_sample(points, technician, monkeypatch):
    both_in = threading.Barrier(2, timeout=WAIT)
    sample_for = entry._sample_for

    def after_both_found_no_key(*args, **kwargs):
        both_in.wait()  # neither has written yet: each saw no stored key
        return sample_for(*args, **kwargs)

    monkeypatch.setattr(entry, "_sample_for", after_both_found_no_key)

    def send():
        return services.record_sample(
            points["finished"],
            sampled_at=at(DAY, 9),
            values={"turbidity": "0.3"},
            by=technician,
            key="double-tap",
        )

    threads = [in_thread(send) for _ in range(2)]
    for thread, _box in threads:
        thread.join(WAIT)

    answers = [box["value"] for _thread, box in threads]
    sample = Sample.objects.get()
    assert [s.pk for s, _created in answers] == [sample.pk, sample.pk]
    assert sorted(created for _s, created in answers) == [False, True]
    assert Result.objects.filter(sample=sample).count() == 1
    key = IdempotencyKey.objects.get()
    assert (key.key, key.object_id, key.created) == ("double-tap", sample.pk, True)
