"""Write use-cases of the isolation app, by topic: cases (open, import, assign, extend),
checks (the monitor's daily follow-up), release (propose, approve, refuse) and escalation
(missing follow-ups up the monitoring chain). Each checks its permission, runs in one
transaction, is audited and returns `(object, created)` (core.writes)."""

from headwater.isolation.services.cases import (
    assign,
    extend,
    import_cases,
    open_case,
    open_from_follow_up,
)
from headwater.isolation.services.checks import record_check
from headwater.isolation.services.escalation import escalate_missing_checks
from headwater.isolation.services.release import (
    approve_release,
    propose_release,
    refuse_release,
    release_blocker,
)

__all__ = [
    "approve_release",
    "assign",
    "escalate_missing_checks",
    "extend",
    "import_cases",
    "open_case",
    "open_from_follow_up",
    "propose_release",
    "record_check",
    "refuse_release",
    "release_blocker",
]
