"""Request and response bodies of the health API."""

import datetime as dt

from ninja import Field, Schema

from headwater.core.apitypes import Count, Day, Id
from headwater.health.choices import CodeColour


class RelativeLineIn(Schema):
    """A registered household member's line of the day (core /household ids)."""

    member_id: Id
    temperature: float | str | None = None
    symptoms: list[str] = Field([], max_length=10)
    travel: bool = Field(False, description="Travel or contact in the last 14 days")
    note: str = Field("", max_length=200, description="Where, or whom (with travel)")


class CheckInIn(Schema):
    """Today's check-in, as the phone sends it. It feeds health.inputs.CheckInInput (as the
    page's form does), which checks the temperature and every choice, so a refusal always names
    the field in the request's language."""

    temperature: float | str | None = None
    symptoms: list[str] = []
    whereabouts: str = ""
    location_note: str = ""
    left_city: bool = False
    travel_to: str = ""
    returned_on: Day | None = None
    contact_confirmed: bool = False
    contact_suspected: bool = False
    contact_risk_area: bool = False
    last_contact_on: Day | None = None
    household: str = ""
    household_note: str = ""
    relatives: list[RelativeLineIn] = Field(
        [], max_length=20, description="Household members' lines; one left out: not reported"
    )
    slot: str = Field("", description="am or pm; empty: the slot open now")
    idempotency_key: str = Field("", description="Same as the Idempotency-Key header")


class CheckInOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    unit_id: int
    date: dt.date
    slot: str
    temperature: float
    symptoms: list[str]
    whereabouts: str
    location_note: str
    left_city: bool
    travel_to: str
    returned_on: dt.date | None
    contact_confirmed: bool
    contact_suspected: bool
    contact_risk_area: bool
    last_contact_on: dt.date | None
    household: str
    household_note: str
    is_abnormal: bool
    submitted_at: dt.datetime
    updated_at: dt.datetime


class CodeOut(Schema):
    person_id: int
    person_name: str = Field(..., alias="person.name")
    colour: str
    colour_label: str
    reason: str
    green_on: dt.date | None
    rule_name: str
    rule_set_version: int
    since: dt.datetime

    @staticmethod
    def resolve_colour_label(obj) -> str:
        return str(CodeColour(obj.colour).label)


class CheckInResult(Schema):
    checkin: CheckInOut
    code: CodeOut | None


class PersonRef(Schema):
    id: int
    employee_no: str
    name: str
    unit_name: str = Field(..., alias="unit.name")


class TimelineOut(Schema):
    person: PersonRef
    checkins: list[CheckInOut]
    codes: list[CodeOut]


class AbnormalMember(Schema):
    person: PersonRef
    checkins: list[CheckInOut]


class CompletionOut(Schema):
    unit_id: int
    unit_name: str
    date: dt.date
    staff: int
    checked_in: int
    abnormal: list[AbnormalMember]
    missing: list[PersonRef]
    missing_total: int


class TotalsOut(Schema):
    done: int
    total: int
    rate: float
    abnormal: int
    green: int
    yellow: int
    red: int


class OverviewRow(Schema):
    unit_id: int
    unit_name: str
    staff: int
    done: int
    rate: float
    abnormal: int
    report_id: int | None
    report_status: str = Field(
        ..., description="on_time, late, missing, or empty before the deadline"
    )
    report_status_label: str
    possible_concealment: bool
    evidence_ids: list[int] = Field(..., description="abnormal check-ins the report leaves out")


class OverviewOut(Schema):
    date: dt.date
    deadline: dt.datetime
    totals: TotalsOut
    units: list[OverviewRow]


class ReportCounts(Schema):
    on_duty: int = 0
    working_from_home: int = 0
    on_leave: int = 0
    isolated: int = 0
    abnormal: int = 0


class UnitReportIn(Schema):
    unit_id: Id
    counts: ReportCounts = ReportCounts()
    notes: str = ""
    zero: bool = Field(False, description="零报告: nothing abnormal today")


class UnitReportOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    date: dt.date
    on_duty: int
    working_from_home: int
    on_leave: int
    isolated: int
    abnormal: int
    is_zero: bool
    notes: str
    submitted_at: dt.datetime
    submitted_by: str | None
    possible_concealment: bool = Field(
        False,
        description="A filing said less than the check-ins showed when it was sent; stays "
        "until the office clears it",
    )
    flag_filing_id: int | None = Field(None, description="The filing that raised the flag")

    @staticmethod
    def resolve_submitted_by(obj) -> str | None:
        return obj.submitted_by.username if obj.submitted_by_id else None

    @staticmethod
    def resolve_possible_concealment(obj) -> bool:
        return obj.flag_id is not None

    @staticmethod
    def resolve_flag_filing_id(obj) -> int | None:
        return obj.flag_id


class EvidenceOut(Schema):
    """An abnormal check-in as it stood when the filing was sent."""

    checkin_id: int = Field(..., alias="checkin")
    person_id: int = Field(..., alias="person")
    name: str
    slot: str
    submitted_at: dt.datetime
    updated_at: dt.datetime
    temperature: str
    symptoms: list[str]


class UnitReportFilingOut(Schema):
    """One sending of a unit's daily report, and the judgement made at that moment."""

    id: int
    report_id: int
    filed_at: dt.datetime
    filed_by: str | None
    on_duty: int
    working_from_home: int
    on_leave: int
    isolated: int
    abnormal: int
    is_zero: bool
    notes: str
    abnormal_known: int = Field(..., description="People with an abnormal check-in then")
    possible_concealment: bool = Field(..., alias="contradicts")
    evidence: list[EvidenceOut]
    cleared_at: dt.datetime | None
    cleared_by: str | None
    clear_reason: str

    @staticmethod
    def resolve_filed_by(obj) -> str | None:
        return obj.filed_by.username if obj.filed_by_id else None

    @staticmethod
    def resolve_cleared_by(obj) -> str | None:
        return obj.cleared_by.username if obj.cleared_by_id else None


class ClearFlagIn(Schema):
    reason: str = Field(..., description="Why the office clears the flag (at most 300)")


class RemindIn(Schema):
    unit_id: Id | None = Field(
        None, description="The unit to remind; empty: the whole organization (the office)"
    )


class ReminderOut(Schema):
    id: int
    unit_id: int | None
    sent_at: dt.datetime
    people: int = Field(..., description="People reminded to check in")
    units: int = Field(..., description="Units whose heads were reminded to report")


class RiskAreaIn(Schema):
    name: str
    level: str
    valid_from: Day
    valid_to: Day | None = None


class RiskAreaOut(Schema):
    id: int
    name: str
    level: str
    level_label: str
    valid_from: dt.date
    valid_to: dt.date | None

    @staticmethod
    def resolve_level_label(obj) -> str:
        return str(obj.get_level_display())


class RuleIO(Schema):
    name: str
    colour: str
    conditions: list[dict]
    recovery: str = ""
    recovery_days: Count = 0


class RuleOut(RuleIO):
    id: int
    order: int


class RuleSetOut(Schema):
    version: int
    note: str
    fever_threshold: float
    created_at: dt.datetime
    rules: list[RuleOut]

    @staticmethod
    def resolve_rules(obj) -> list:
        return list(obj.rules.all())


class RuleSetIn(Schema):
    rules: list[dict]
    fever_threshold: float | str = 37.3
    note: str = ""


class StatusIn(Schema):
    person_id: Id
    kind: str
    started_on: Day
    exposure_on: Day | None = None
    note: str = ""


class StatusEndIn(Schema):
    ended_on: Day


class StatusOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    kind: str
    kind_label: str
    started_on: dt.date
    ended_on: dt.date | None
    exposure_on: dt.date | None
    note: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())
