"""The models part's rows of the shared sweep world (core/tests/world.py): the demo's
network model (Net3, built by the network demo extension, current, with its strategic N-1
valve layer) marked as the organization's; returns the id the sweep fills
`network_model_id` with."""

from headwater.core.tests.world import ORGV
from headwater.network.models import NetworkModel


def victim_rows(world) -> dict:
    model = NetworkModel.objects.get(organization=world.org, current=True)
    model.name = ORGV + model.name
    model.note = ORGV + model.note
    model.save(update_fields=["name", "note"])
    return {"network_model": model.pk}
