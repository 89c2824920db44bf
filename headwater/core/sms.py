"""Text messages (SMS) to a phone, through one pluggable sender.

`send(phone, text)` hands the message to the sender named by settings.HEADWATER_SMS_SENDER
(a dotted path to a class with `send(phone, text)`). Shipped here:

- `FileSender` (development default): appends each message as one JSON line to
  var/sms/outbox.jsonl, to read with `tail`;
- `MemorySender` (tests): keeps messages in `OUTBOX`, a list the tests read and clear.

A deployment adds an adapter for its SMS provider (Aliyun, Tencent Cloud …) as its own class
with the same `send()` and names it in HEADWATER_SMS_SENDER; docs/deploy.md says how. No
provider is called from this repository.
"""

import json
import logging
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from headwater.core import clock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str
    at: str


OUTBOX: list[Sms] = []


class SmsSender:
    """What a sender implements. Raise an exception when the provider refuses the message."""

    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class MemorySender(SmsSender):
    """Keeps every message in `OUTBOX` (tests, and the browser tests' live server)."""

    def send(self, phone: str, text: str) -> None:
        OUTBOX.append(Sms(phone, text, clock.now().isoformat()))


class FileSender(SmsSender):
    """Appends each message to var/sms/outbox.jsonl (development: nothing leaves the machine)."""

    def send(self, phone: str, text: str) -> None:
        folder = settings.VAR_DIR / "sms"
        folder.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"phone": phone, "text": text, "at": clock.now().isoformat()}, ensure_ascii=False
        )
        with open(folder / "outbox.jsonl", "a", encoding="utf-8") as f:
            f.write(line + "\n")
        log.info("SMS to %s written to %s", phone, folder / "outbox.jsonl")


@cache
def _sender(path: str) -> SmsSender:
    return import_string(path)()


def sender() -> SmsSender:
    return _sender(settings.HEADWATER_SMS_SENDER)


def send(phone: str, text: str) -> None:
    sender().send(phone, text)
