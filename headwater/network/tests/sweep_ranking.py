"""The ranking part's rows of the shared sweep world (core/tests/world.py): a current network
model of the victim organization (a reservoir feeding one junction through one pipe), a
critical customer on that junction and the model's ranking computed, so the ranking, its
Excel file and the customer's risks all name the victim; returns the ids the sweep fills
path parameters with."""

from headwater.network import graph
from headwater.network.models import CriticalCustomer, Link, NetworkModel, Node
from headwater.network.services import ranking


def victim_rows(world) -> dict:
    org = world.org
    # the organization's current model (the demo's, when the demo built one), else a new one
    model = NetworkModel.objects.filter(organization=org, current=True).first()
    if model is None:
        model = NetworkModel.objects.create(
            organization=org, version=1, name="VICTIM-管网", inp="; sweep", current=True
        )
    Node.objects.create(organization=org, model=model, name="VICTIM-R1", kind="reservoir")
    Node.objects.create(
        organization=org, model=model, name="VICTIM-J1", kind="junction", demand=5, population=9
    )
    Link.objects.create(
        organization=org,
        model=model,
        name="VICTIM-P1",
        kind="pipe",
        start="VICTIM-R1",
        end="VICTIM-J1",
        diameter=600,
        material="VICTIM-球墨铸铁",
    )
    customer = CriticalCustomer.objects.create(
        organization=org,
        name="VICTIM-人民医院",
        kind="designated_hospital",
        nodes=["VICTIM-J1"],
        duty_phone="13900000017",
    )
    graph.forget()
    ranking.compute(model)
    return {"network_customer": customer.pk, "network_model": model.pk}
