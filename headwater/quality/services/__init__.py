"""Writes of the water-quality app, by topic: entering results (`entry`), exceedances and
their alerts (`exceedances`), the three-level review (`review`), sampling points (`points`),
plans (`plans`) and the tasks they generate (`sampling`), internal limits and relaxations
(`limits`), analyzer readings (`readings`).

Every use-case returns `(object, created)` (core.writes) but the review steps, which return
how many results they moved; runs in one transaction; is audited (the models are tracked by
django-auditlog); and refuses with a DomainError carrying a message in the user's language
and a code of quality.errors.QualityError. Import them from here: `services.record_sample`.
"""

from headwater.quality.services.entry import (
    evaluation_context,
    organization_limits,
    parse_values,
    record_sample,
    result_fields,
)
from headwater.quality.services.exceedances import (
    ESCALATION_DAYS,
    MAX_LINES,
    RECENT_DAYS,
    class_label,
    handle_exceedances,
    should_alert,
)
from headwater.quality.services.limits import (
    decide_relaxation,
    propose_relaxation,
    revoke_relaxation,
    save_internal_limit,
)
from headwater.quality.services.plans import clean_plan, save_plan
from headwater.quality.services.points import save_point, units_for
from headwater.quality.services.readings import record_readings
from headwater.quality.services.review import approve_results, check_results, return_results
from headwater.quality.services.sampling import (
    generate_for,
    generate_tasks,
    mark_missed,
    open_resample_task,
)

__all__ = [
    "ESCALATION_DAYS",
    "MAX_LINES",
    "RECENT_DAYS",
    "approve_results",
    "check_results",
    "class_label",
    "clean_plan",
    "decide_relaxation",
    "evaluation_context",
    "generate_for",
    "generate_tasks",
    "handle_exceedances",
    "mark_missed",
    "open_resample_task",
    "organization_limits",
    "parse_values",
    "propose_relaxation",
    "record_readings",
    "record_sample",
    "result_fields",
    "return_results",
    "revoke_relaxation",
    "save_internal_limit",
    "save_plan",
    "save_point",
    "should_alert",
    "units_for",
]
