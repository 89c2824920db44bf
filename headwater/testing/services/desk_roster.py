"""A person not on the roster, added at the desk with a reason (名单外人员): a member of
staff by their staff number, or an outside person by name, company and phone or ID number
(an outside person already known by that ID number is reused, as for a later campaign)."""

from django.db import transaction
from django.utils.translation import gettext as _

from headwater.core.audit import acting_as
from headwater.core.errors import DomainError
from headwater.core.models import Person
from headwater.core.writes import Written, idempotent
from headwater.testing.choices import EntrySource
from headwater.testing.errors import TestingError
from headwater.testing.inputs_desk import DeskEntryInput
from headwater.testing.models import Outsider, RosterEntry, SamplingSite
from headwater.testing.services.desk_common import check_open, require_desk


def add_at_desk(
    site: SamplingSite, data: DeskEntryInput, *, by, key: str = ""
) -> Written[RosterEntry]:
    """Put the person on the campaign's roster at this site (source DESK, the reason and who
    added them recorded). Refused for an unknown staff number and for a person on the roster
    already."""
    require_desk(by, site.campaign)
    return idempotent(
        "testing.add_at_desk",
        by=by,
        key=key,
        model=RosterEntry,
        write=lambda: _add(site, data, by),
    )


def _add(site: SamplingSite, data: DeskEntryInput, by) -> Written[RosterEntry]:
    campaign = site.campaign
    with transaction.atomic(), acting_as(by):
        check_open(campaign)
        entry = RosterEntry(
            organization_id=campaign.organization_id,
            campaign=campaign,
            site=site,
            source=EntrySource.DESK,
            added_reason=data.reason,
            added_by=by,
        )
        if data.is_staff:
            person = Person.objects.filter(
                organization_id=campaign.organization_id, employee_no=data.employee_no
            ).first()
            if person is None:
                raise DomainError(
                    _("Nobody has the staff number %(no)s.") % {"no": data.employee_no},
                    code=TestingError.UNKNOWN_PERSON,
                    fields={"employee_no": _("Unknown staff number.")},
                )
            entry.person, entry.unit_id = person, person.unit_id
            on_roster = RosterEntry.objects.filter(campaign=campaign, person=person)
        else:
            outsider = _outsider(campaign.organization_id, data)
            entry.outsider, entry.company = outsider, outsider.company
            on_roster = RosterEntry.objects.filter(campaign=campaign, outsider=outsider)
        if on_roster.exists():
            raise DomainError(
                _("%(name)s is on the campaign's roster already: find them by name or number.")
                % {"name": (entry.person or entry.outsider).name},
                code=TestingError.ALREADY_ON_ROSTER,
            )
        entry.save()
    return entry, True


def _outsider(organization_id: int, data: DeskEntryInput) -> Outsider:
    if data.id_number:
        outsider, _created = Outsider.objects.get_or_create(
            organization_id=organization_id,
            id_number=data.id_number,
            defaults={"name": data.name, "company": data.company, "phone": data.phone},
        )
        return outsider
    known = Outsider.objects.filter(
        organization_id=organization_id, name=data.name, phone=data.phone, id_number=""
    ).first()
    return known or Outsider.objects.create(
        organization_id=organization_id, name=data.name, company=data.company, phone=data.phone
    )
