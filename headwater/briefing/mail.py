"""The briefing by e-mail: the PDF attached, through Django's mail backend, on the queue."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from huey.contrib.djhuey import db_task

from headwater.briefing import files
from headwater.briefing.choices import DispatchStatus
from headwater.briefing.models import Dispatch
from headwater.core import clock

log = logging.getLogger(__name__)
RETRIES = 5
RETRY_SECONDS = 300


def message(dispatch: Dispatch) -> EmailMessage:
    from headwater.briefing.services import recipients

    briefing = dispatch.briefing
    doc = briefing.doc("zh-hans")
    points = "\n".join(f"{i}. {p}" for i, p in enumerate(doc["key_points"], 1))
    body = f"{doc['title']}\n{doc['number']}  {doc['day_text']}\n\n今日要点：\n{points}\n"
    if doc.get("link"):
        body += f"\n全文：{doc['link']}\n"
    email = EmailMessage(
        subject=f"{doc['title']}（{doc['number']}）",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients(briefing),
    )
    name, _fallback = files.file_names(doc, "pdf")
    email.attach(name, files.render(doc, "pdf"), files.FORMATS["pdf"])
    return email


@db_task(retries=RETRIES, retry_delay=RETRY_SECONDS)
def send_email(dispatch_id: int) -> str:
    """Send one e-mail dispatch once; a failure is recorded and the queue tries again."""
    dispatch = Dispatch.objects.select_related("briefing__organization").get(pk=dispatch_id)
    if dispatch.status == DispatchStatus.SENT:
        return dispatch.status
    try:
        message(dispatch).send()
    except Exception as e:
        dispatch.last_error = f"{type(e).__name__}: {e}"[:500]
        dispatch.status = DispatchStatus.FAILED
        dispatch.save(update_fields=["last_error", "status"])
        log.warning("briefing e-mail %s failed: %s", dispatch_id, dispatch.last_error)
        raise
    dispatch.status, dispatch.sent_at, dispatch.last_error = DispatchStatus.SENT, clock.now(), ""
    dispatch.save(update_fields=["status", "sent_at", "last_error"])
    return dispatch.status
