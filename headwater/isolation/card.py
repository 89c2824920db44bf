"""The service card (服务卡) of an isolated person: the rules, the planned end and whom to
call. Its purpose is contact, so the monitor's and volunteer's numbers are shown in full to
the person and the office (ADR 0018); everywhere else they are masked."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from headwater.core import levels
from headwater.isolation.models import Case


@dataclass
class Contact:
    role: str
    name: str
    phone: str


@dataclass
class ServiceCard:
    case: Case
    rules: str
    contacts: list[Contact]
    office_phone: str


def service_card(case: Case) -> ServiceCard:
    contacts = [
        Contact(role, who.name, who.phone)
        for role, who in ((_("Monitor"), case.monitor), (_("Volunteer"), case.volunteer))
        if who is not None
    ]
    org = case.organization
    return ServiceCard(
        case=case,
        rules=levels.value(org, "isolation.rules"),
        contacts=contacts,
        office_phone=levels.value(org, "health.office_phone"),
    )
