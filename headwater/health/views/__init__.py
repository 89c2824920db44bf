"""Pages of the health app: staff and unit heads on phones (staff.py, unit.py), the office
on a desktop (office.py)."""

from headwater.health.views.household import household_screening
from headwater.health.views.office import (
    overview,
    person_timeline,
    risk_areas,
    risk_areas_import,
    rules,
    statuses,
    unit_report_filings,
)
from headwater.health.views.staff import checkin, my_timeline
from headwater.health.views.unit import remind_now, unit_checkins, unit_report

__all__ = [
    "checkin",
    "household_screening",
    "my_timeline",
    "overview",
    "remind_now",
    "person_timeline",
    "risk_areas",
    "risk_areas_import",
    "rules",
    "statuses",
    "unit_checkins",
    "unit_report",
    "unit_report_filings",
]
