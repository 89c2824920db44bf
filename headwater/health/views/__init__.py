"""Pages of the health app: staff and unit heads on phones (staff.py, unit.py), the office
on a desktop (office.py)."""

from headwater.health.views.office import (
    overview,
    person_timeline,
    risk_areas,
    risk_areas_import,
    rules,
    statuses,
)
from headwater.health.views.staff import checkin, my_timeline
from headwater.health.views.unit import unit_checkins, unit_report

__all__ = [
    "checkin",
    "my_timeline",
    "overview",
    "person_timeline",
    "risk_areas",
    "risk_areas_import",
    "rules",
    "statuses",
    "unit_checkins",
    "unit_report",
]
