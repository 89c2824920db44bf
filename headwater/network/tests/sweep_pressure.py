"""The pressure watch's rows of the shared sweep world (core/tests/world.py): a pressure point
of the victim organization with its telemetry device and a reading of the sweep's moment;
returns the ids the sweep fills path parameters with."""

from headwater.core.models import DeviceToken
from headwater.network.models import PressurePoint, Reading


def victim_rows(world, moment) -> dict:
    org = world.org
    device, _raw = DeviceToken.issue(org, "VICTIM-压力遥测RTU", None)
    point = PressurePoint.objects.create(
        organization=org,
        code="VICTIM-YL",
        name="VICTIM-第一医院压力点",
        low=20,
        high=60,
        device=device,
        last_value=31.5,
        last_at=moment,
    )
    Reading.objects.create(organization=org, point=point, at=moment, value=31.5)
    return {"pressure_point": point.pk}
