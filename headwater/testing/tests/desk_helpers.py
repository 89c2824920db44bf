"""Shortcuts for the desk tests: register someone through the service as a desk would."""

from headwater.testing.inputs_desk import RegisterInput
from headwater.testing.services import desk


def reg(site, entry, barcode, by, *, key="", **extra):
    data = RegisterInput.parse({"barcode": barcode, "entry_id": entry.pk, **extra})
    return desk.register(site, data, by=by, key=key)
