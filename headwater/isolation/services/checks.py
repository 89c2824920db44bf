"""The monitor's daily follow-up of an isolated person (盯控记录)."""

from django.db import transaction
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError
from headwater.core.writes import Written, idempotent
from headwater.isolation.choices import CaseState
from headwater.isolation.errors import IsolationError
from headwater.isolation.inputs import CheckInput
from headwater.isolation.models import Case, CaseCheck
from headwater.isolation.services.common import require_monitor
from headwater.isolation.services.flow import open_for_check

ACTION = "isolation.check"


def record_check(case: Case, data: CheckInput, *, by, key: str = "") -> Written[CaseCheck]:
    """Record today's follow-up of an open case. A retry with the same key from a phone
    answers the first follow-up and writes nothing; a released case is refused."""
    require_monitor(by, case)
    return idempotent(
        ACTION, by=by, key=key, model=CaseCheck, write=lambda: _record(case, data, by)
    )


def _record(case: Case, data: CheckInput, by) -> Written[CaseCheck]:
    with transaction.atomic(), acting_as(by):
        state = Case.objects.filter(pk=case.pk).values_list("state", flat=True).first()
        if state != CaseState.OPEN:
            raise DomainError(
                _("This isolation case has been released: no more follow-ups."),
                code=IsolationError.CASE_RELEASED,
            )
        check = CaseCheck.objects.create(
            organization_id=case.organization_id,
            case=case,
            date=clock.today(),
            morning_temperature=data.morning_temperature,
            afternoon_temperature=data.afternoon_temperature,
            symptoms=data.symptoms,
            needs=data.needs,
            mood=data.mood,
            channel=data.channel,
            note=data.note,
            is_normal=data.is_normal,
            recorded_by=by,
        )
        open_for_check(check, by)
    return check, True
