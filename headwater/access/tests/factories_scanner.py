"""Gates with an enrolled scanner device, and QR pictures of signed passes, for the scanner
page's tests."""

import io
from datetime import timedelta

import qrcode

from headwater.access import signing
from headwater.access.models import Gate, GateDevice
from headwater.core import clock
from headwater.core.models import DeviceToken
from headwater.core.tests.factories import SiteFactory


def make_gate(org, unit, *, name="东门岗", kind="gate", checks_temperature=True) -> Gate:
    site = SiteFactory(organization=org, unit=unit, name="第一水厂厂区")
    return Gate.objects.create(
        organization=org, site=site, name=name, kind=kind, checks_temperature=checks_temperature
    )


def enrol_scanner(gate: Gate) -> str:
    """A device token for `gate`: the raw token, as the office is shown it once."""
    device, raw = DeviceToken.issue(gate.organization, f"{gate.name}扫码机", gate.site)
    GateDevice.objects.create(organization=gate.organization, gate=gate, device=device)
    return raw


def phone_pass(org, person, *, seconds: int = 60) -> str:
    """A phone pass of `person`, valid `seconds` from now."""
    key = signing.ensure_key(org)
    expires = int((clock.now() + timedelta(seconds=seconds)).timestamp())
    return signing.sign(key, signing.KIND_PASS, person.pk, expires=expires)


# Different pictures of one code (module size, error correction): @zxing/browser misses some.
PICTURES = (
    (8, qrcode.constants.ERROR_CORRECT_M),
    (10, qrcode.constants.ERROR_CORRECT_L),
    (6, qrcode.constants.ERROR_CORRECT_Q),
)


def qr_png(text: str, picture: int = 0) -> bytes:
    box_size, error = PICTURES[picture % len(PICTURES)]
    code = qrcode.QRCode(border=4, box_size=box_size, error_correction=error)
    code.add_data(text)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def give_code(person, colour: str = "green") -> None:
    """The person's code in force (health's row, as its reader reads it)."""
    from headwater.health.models import HealthCode

    HealthCode.objects.filter(person=person, is_current=True).update(is_current=False)
    HealthCode.objects.create(
        organization=person.organization,
        person=person,
        colour=colour,
        reason="测试",
        rule_set_version=1,
    )


def card_pass(org, person, *, revoked: bool = False) -> str:
    """A printed pass card of `person` (revoked when asked) and its long-lived token."""
    from headwater.access.models import PassCard

    card = PassCard.objects.create(
        organization=org,
        person=person,
        serial=f"C{person.pk:06d}",
        expires_on=clock.today() + timedelta(days=365),
        revoked_at=clock.now() if revoked else None,
    )
    key = signing.ensure_key(org)
    expires = int((clock.now() + timedelta(days=365)).timestamp())
    return signing.sign(key, signing.KIND_CARD, card.pk, expires=expires, nonce=card.serial)
