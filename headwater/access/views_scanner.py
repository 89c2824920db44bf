"""The gate scanner page (/access/scanner/) and its service worker (/access/scanner/sw.js).

The page is a shell: no person, no gate, no organization in it — only words, the reasons'
labels and the addresses of the API and of its own static files — so that a service worker
can keep it and a phone at a gate can open it without the network. What the device knows
(its token, the last sync, the passages waiting to be sent) lives in the browser's IndexedDB
and comes from the API with the device token (access-scanner.js; ADR 0025, "The offline
scanner"). Nobody signs in: the device token is the credential."""

import hashlib
import json

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache

from headwater.access.choices import GateKind, RefusalReason
from headwater.core.validators import BODY_MAX, BODY_MIN

API = "/api/v1/access"
# The static files the page loads, in its order: what the service worker keeps.
ASSETS = (
    "dist/bootstrap.min.css",
    "core/headwater.css",
    "core/favicon.svg",
    "dist/idb.umd.js",
    "dist/nacl-fast.min.js",
    "dist/zxing-browser.min.js",
    "js/access-scanner.js",
)
WORKBOX = ("workbox-core", "workbox-routing", "workbox-strategies")


def _texts() -> dict[str, str]:
    """The words access-scanner.js shows, in the page's language."""
    return {
        "online": _("Connected"),
        "offline": _("Offline"),
        "waiting": _("%(n)s waiting to upload"),
        "allow": _("ALLOW"),
        "refuse": _("REFUSE"),
        "check": _("CHECK BY HAND"),
        "offline_decision": _("Decided offline"),
        "unverified": _("Cannot be checked offline: check the person by hand."),
        "visitor": pgettext("gate scanner", "Visitor"),
        "card_holder": _("Pass card holder"),
        "staff_no": _("Staff number %(no)s"),
        "temperature_needed": _("Enter the temperature first, then check."),
        "temperature_bad": _("Enter a temperature between 34.0 and 42.5."),
        "scan_first": _("Scan a pass or type a staff number."),
        "scanned": _("Pass scanned: enter the temperature and press Check."),
        "no_code": _("No QR code found in the picture."),
        "no_camera": _("The camera cannot be opened here."),
        "enrol_failed": _("This device token is not valid (or was revoked): ask the office."),
        "enrol_offline": _("Enrolling needs the connection."),
        "not_scanner": _("This device is not enrolled for a gate: ask the office."),
        "synced": _("Synced %(time)s"),
        "never_synced": _("Not synced yet"),
        "sent": _("%(n)s uploaded."),
        "rejected": _("%(n)s refused by the server when uploaded: %(why)s"),
        "device_revoked": _("This device was revoked: ask the office. Waiting scans are kept."),
        "forget_confirm": _("Forget this device's token and its synced data?"),
        "forget_waiting": _("%(n)s scans still wait to upload: connect first."),
        "error": _("Something went wrong; try again."),
        "in": _("In"),
        "out": _("Out"),
        "fever_at": _("Fever threshold %(t)s ℃"),
    }


@never_cache
def scanner(request):
    """The scanner's shell: the same page for every device and every user."""
    context = {
        "texts": _texts(),
        "reasons": {value: str(label) for value, label in RefusalReason.choices},
        "kinds": {value: str(label) for value, label in GateKind.choices},
        "api": API,
        "temperature_range": [str(BODY_MIN), str(BODY_MAX)],
    }
    return render(request, "access/scanner.html", context)


def _worker_config() -> dict:
    page = "/access/scanner/"
    return {
        "page": page,
        "assets": [static(name) for name in ASSETS],
        "workbox_sw": static("dist/workbox-sw.js"),
        "modules": {name: static(f"dist/{name}.prod.js") for name in WORKBOX},
    }


def service_worker(request):
    """The scanner's service worker, served inside its scope with the page's hashed static
    addresses; never cached by the browser's HTTP cache (a new version installs on the next
    visit)."""
    config = _worker_config()
    # the version names the cache: a new deployment (new hashes) starts a new cache
    config["version"] = hashlib.sha256(json.dumps(config).encode()).hexdigest()[:12]
    body = render_to_string("access/scanner_sw.js", {"config": json.dumps(config)})
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-store, must-revalidate"
    return response
