"""Notices endpoints: a person's own notices (read, confirm, answer), and for senders and unit
heads publishing, receipts by unit, the people not done, remind. Thin over services."""

from django.shortcuts import get_object_or_404
from ninja import Header, Router, Status
from ninja.pagination import paginate

from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id, Pagination
from headwater.core.errors import require
from headwater.notices import services
from headwater.notices.inputs import PublishInput
from headwater.notices.models import Notice, Receipt
from headwater.notices.permissions import VIEW_RECEIPTS
from headwater.notices.querysets import totals
from headwater.notices.schemas import (
    ConfirmIn,
    MyNoticeOut,
    PendingOut,
    PublishIn,
    ReceiptsOut,
    RemindOut,
    SentOut,
)

router = Router(auth=SessionAuth(), tags=["notices"])
PAGE = 50


@router.get("/mine", response=list[MyNoticeOut])
@paginate(Pagination, page_size=PAGE)
def list_mine(request, pending: bool = False):
    """The caller's own notices, not done first, then newest."""
    receipts = Receipt.objects.mine(request.user)
    return receipts.pending() if pending else receipts


def _mine(request, notice_id: int) -> Receipt:
    return get_object_or_404(Receipt.objects.mine(request.user), notice_id=notice_id)


@router.get("/mine/{int:notice_id}", response=MyNoticeOut)
def get_mine(request, notice_id: Id):
    """One of the caller's notices (reading it does not mark it read: POST …/read does)."""
    return _mine(request, notice_id)


@router.post("/mine/{int:notice_id}/read", response=MyNoticeOut)
def read_mine(request, notice_id: Id):
    """Mark it read (once; again changes nothing)."""
    receipt, _changed = services.mark_read(_mine(request, notice_id), by=request.user)
    return receipt


@router.post("/mine/{int:notice_id}/confirm", response={200: MyNoticeOut, 201: MyNoticeOut})
def confirm_mine(
    request,
    notice_id: Id,
    payload: ConfirmIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
):
    """Confirm reading, accept the acknowledgement, or answer the question (`answer`). A wrong
    answer is recorded (`correct` false, `acknowledged_at` null): answer again. 201 when this
    request changed the receipt."""
    receipt, changed = services.confirm(
        _mine(request, notice_id), by=request.user, answer=payload.answer, key=idempotency_key
    )
    return Status(201 if changed else 200, receipt)


@router.get("", response=list[SentOut])
@paginate(Pagination, page_size=PAGE)
def list_sent(request):
    """Notices the caller follows: sent by them, or reaching their units (newest first)."""
    require(request.user, VIEW_RECEIPTS)
    return Notice.objects.visible_to(request.user).newest_first().prefetch_related("units")


@router.post("", response={200: SentOut, 201: SentOut})
def publish(
    request, payload: PublishIn, idempotency_key: str = Header("", alias="Idempotency-Key")
):
    """Publish to the organization (no `unit_ids`: the office only) or to units and their
    subtrees (a unit head: their own units only). One receipt per active person."""
    data = PublishInput.parse(payload.dict())
    notice, created = services.publish(
        request.user.organization, data, by=request.user, key=idempotency_key
    )
    return Status(201 if created else 200, notice)


def _followed(request, notice_id: int) -> Notice:
    require(request.user, VIEW_RECEIPTS)
    return get_object_or_404(Notice.objects.visible_to(request.user), pk=notice_id)


def _receipts(request, notice: Notice):
    return Receipt.objects.visible_to(request.user).filter(notice=notice)


@router.get("/{int:notice_id}/receipts", response=ReceiptsOut)
def receipts(request, notice_id: Id):
    """Counts within the caller's reach, and by unit (worst first)."""
    notice = _followed(request, notice_id)
    units = _receipts(request, notice).by_unit()
    whole = totals(units)
    return {
        "notice_id": notice.pk,
        "total": whole["total"],
        "read": whole["read"],
        "done": whole["done"],
        "units": units,
    }


@router.get("/{int:notice_id}/pending", response=list[PendingOut])
@paginate(Pagination, page_size=100)
def pending(request, notice_id: Id):
    """The people within the caller's reach not done yet (not read, or not acknowledged)."""
    notice = _followed(request, notice_id)
    return (
        _receipts(request, notice)
        .pending()
        .select_related("person")
        .order_by("unit__path", "person__employee_no")
    )


@router.post("/{int:notice_id}/remind", response={200: RemindOut, 201: RemindOut})
def remind(request, notice_id: Id):
    """Remind the people within reach who have not read it (inbox). Again within 30 minutes
    from the same caller: 200 and the earlier reminder, nothing sent."""
    reminder, sent = services.remind(_followed(request, notice_id), by=request.user)
    body = {
        "sent": sent,
        "round": reminder.round,
        "recipients": reminder.recipients,
        "sent_at": reminder.sent_at,
    }
    return Status(201 if sent else 200, body)
