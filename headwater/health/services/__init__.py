"""Write use-cases of the health app, one module per topic: check-ins (checkins), codes
(codes), epidemiological statuses (statuses), the code rules (rule_sets), unit daily reports
and their filings (reports), risk areas (risk_areas) and check-in reminders (reminders) and
follow-up items (followups).

Each use-case checks its permission, parses its input (health.inputs), runs in one
transaction, is audited, schedules its side effects on commit and returns `(object, created)`
(core.writes). Pages, the API and the tasks call them as `services.submit_checkin(...)`; the
check-in windows and the report deadline (health.windows) are re-exported for them too.
"""

from headwater.health.inputs import REPORT_COUNTS
from headwater.health.services.checkins import (
    CHECKIN,
    describe_checkin,
    follow_up,
    submit_checkin,
)
from headwater.health.services.codes import (
    active_rule_set,
    catch_up_recomputes,
    recompute_code,
    recompute_organization,
    recompute_organization_codes,
    recompute_person,
    recompute_stale_codes,
    rule_set_in_force,
    unsaved_code,
)
from headwater.health.services.followups import close_follow_up
from headwater.health.services.reminders import remind_if_due, remind_now
from headwater.health.services.reports import clear_concealment_flag, submit_unit_report
from headwater.health.services.risk_areas import (
    delete_risk_area,
    end_risk_area,
    import_risk_areas,
    save_risk_area,
)
from headwater.health.services.rule_sets import publish_rules
from headwater.health.services.statuses import end_status, set_status
from headwater.health.windows import current_slot, report_deadline, slots_for, window

__all__ = [
    "CHECKIN",
    "REPORT_COUNTS",
    "active_rule_set",
    "catch_up_recomputes",
    "clear_concealment_flag",
    "close_follow_up",
    "current_slot",
    "delete_risk_area",
    "describe_checkin",
    "end_risk_area",
    "end_status",
    "follow_up",
    "import_risk_areas",
    "publish_rules",
    "recompute_code",
    "recompute_organization",
    "recompute_organization_codes",
    "recompute_person",
    "recompute_stale_codes",
    "remind_if_due",
    "remind_now",
    "report_deadline",
    "rule_set_in_force",
    "save_risk_area",
    "set_status",
    "slots_for",
    "submit_checkin",
    "submit_unit_report",
    "unsaved_code",
    "window",
]
