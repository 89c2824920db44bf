"""What a volunteer learns of the person they serve (ADR 0021): the name always; the phone
and the address in full once the request is theirs (they are the case's volunteer or accepted
it) — before that, to the pool, the phone masked and the address withheld. Never health data:
requests carry none and the volunteer pages read none."""

from dataclasses import dataclass

from headwater.core.privacy import mask_phone
from headwater.isolation.models import ServiceRequest
from headwater.isolation.services.common import is_office


@dataclass
class DeliveryContact:
    name: str
    phone: str
    address: str
    full: bool


def contact_for(user, req: ServiceRequest) -> DeliveryContact:
    case = req.case
    pid = user.person_id
    full = bool(pid) and pid in (
        case.volunteer_id,
        req.accepted_by_id,
        case.person_id,
        case.monitor_id,
    )
    full = full or is_office(user, case.organization_id)
    phone = (case.household_member.phone if case.household_member_id else "") or case.person.phone
    return DeliveryContact(
        name=case.subject_name,
        phone=phone if full else mask_phone(phone),
        address=case.address if full else "",
        full=full,
    )
