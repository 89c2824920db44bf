"""The passes' rows of the sweep's victim (core/tests/world.py): a printed card of the victim
unit's member of staff and the organization's signing key."""

from headwater.access import signing
from headwater.access.tests.factories_passes import PassCardFactory


def victim_passes(world) -> dict:
    person = world.users["victim_staff"].person
    card = PassCardFactory(person=person, serial="VICTIM-CARD1")
    key = signing.ensure_key(world.org)
    return {"pass_card": card.pk, "pass_cards": [card.pk], "signing_key": key.pk}
