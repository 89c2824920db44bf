"""The visitor pass (ADR 0025, "Visitors and vehicles"): the QR a scanner reads is a token of
the one format (`signing.sign`, kind "v", subject the visit, expiring at its `valid_until`);
the visitor opens it without an account through a public link that carries a signed value
(django.core.signing), never the visit's id in the clear, so links cannot be guessed or
walked."""

from django.core import signing as django_signing
from django.urls import reverse

from headwater.access import signing
from headwater.access.choices import VisitState
from headwater.access.models import Visit
from headwater.core import clock

SALT = "access.visit_pass"
MAX_LINK = 200


def link_token(visit: Visit) -> str:
    return django_signing.dumps({"v": visit.pk}, salt=SALT)


def visit_id_of(raw: str) -> int | None:
    """The visit a link names, None for a forged, damaged or foreign one."""
    try:
        value = django_signing.loads(raw[:MAX_LINK], salt=SALT)
    except django_signing.BadSignature:
        return None
    pk = value.get("v") if isinstance(value, dict) else None
    return pk if isinstance(pk, int) else None


def pass_path(visit: Visit) -> str:
    return reverse("access:visit_pass", args=[link_token(visit)])


def is_valid(visit: Visit) -> bool:
    """Approved and not past its end: the pass lets the visitor through."""
    return (
        visit.state == VisitState.APPROVED
        and visit.valid_until is not None
        and visit.valid_until > clock.now()
    )


def pass_token(visit: Visit) -> str | None:
    """The signed token the QR carries, None when the visit is not valid now."""
    if not is_valid(visit):
        return None
    key = signing.ensure_key(visit.organization)
    return signing.sign(
        key, signing.KIND_VISIT, visit.pk, expires=int(visit.valid_until.timestamp())
    )
