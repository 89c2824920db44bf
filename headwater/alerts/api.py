"""Alerts endpoints: the user's own inbox, and the office's group robots and their deliveries.

Thin: reads through querysets scoped to the user, writes through alerts.services.
"""

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from headwater.alerts import services
from headwater.alerts.models import Delivery, InboxItem, WebhookChannel
from headwater.alerts.schemas import (
    ChannelIn,
    ChannelOut,
    ChannelPatch,
    CloseIn,
    DeliveryOut,
    InboxItemOut,
    ReadIn,
    ReadOut,
)
from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id, Pagination

router = Router(auth=SessionAuth(), tags=["alerts"])
PAGE = 50


@router.get("/alerts", response=list[InboxItemOut])
@paginate(Pagination, page_size=PAGE)
def list_inbox(request, unread: bool = False, state: Literal["open", "handled"] | None = None):
    """The user's inbox, newest first; `state=open` (not closed) or `handled` (closed)."""
    items = InboxItem.objects.visible_to(request.user).newest_first()
    if state == "open":
        items = items.open()
    elif state == "handled":
        items = items.handled()
    return items.unread() if unread else items


def _item(request, item_id: int) -> InboxItem:
    """One of the user's own inbox items: anybody else's is a 404, as in the inbox."""
    items = InboxItem.objects.visible_to(request.user).newest_first()
    return get_object_or_404(items, pk=item_id)


@router.post("/alerts/{int:item_id}/acknowledge", response=InboxItemOut)
def acknowledge(request, item_id: Id):
    """Acknowledge the alert of one of the user's inbox items (`id` in the list): who and
    when, once; again, or on a closed alert, changes nothing and answers the same."""
    services.acknowledge(_item(request, item_id).alert, by=request.user)
    return _item(request, item_id)


@router.post("/alerts/{int:item_id}/close", response=InboxItemOut)
def close(request, item_id: Id, payload: CloseIn):
    """Close the alert of one of the user's inbox items with a note (required): who, when,
    the note, once; closing it again changes nothing and answers as it was closed."""
    services.close(_item(request, item_id).alert, by=request.user, note=payload.note)
    return _item(request, item_id)


@router.post("/alerts/read", response=ReadOut)
def read(request, payload: ReadIn):
    return {"marked": services.mark_read(request.user, payload.ids)}


@router.post("/alerts/read-all", response=ReadOut)
def read_all(request):
    return {"marked": services.mark_all_read(request.user)}


def _channels(request):
    services.require_manager(request.user)
    return WebhookChannel.objects.visible_to(request.user)


@router.get("/alerts/robots", response=list[ChannelOut])
def list_robots(request):
    return list(_channels(request))


@router.post("/alerts/robots", response={201: ChannelOut})
def create_robot(request, payload: ChannelIn):
    services.require_manager(request.user)
    channel = WebhookChannel(organization=request.user.organization, **payload.dict())
    return Status(201, services.save_channel(channel, by=request.user))


@router.patch("/alerts/robots/{int:channel_id}", response=ChannelOut)
def update_robot(request, channel_id: Id, payload: ChannelPatch):
    channel = get_object_or_404(_channels(request), pk=channel_id)
    for name, value in payload.dict(exclude_unset=True).items():
        if value is not None or name == "unit_id":  # null clears the unit, nothing else
            setattr(channel, name, value)
    return services.save_channel(channel, by=request.user)


@router.post("/alerts/robots/{int:channel_id}/test", response={202: DeliveryOut})
def test_robot(request, channel_id: Id):
    channel = get_object_or_404(_channels(request), pk=channel_id)
    delivery = services.send_test(channel, by=request.user)
    delivery.refresh_from_db()
    return Status(202, delivery)


@router.get("/alerts/deliveries", response=list[DeliveryOut])
@paginate(Pagination, page_size=PAGE)
def list_deliveries(request, status: str = "", channel_id: Id | None = None):
    services.require_manager(request.user)
    qs = Delivery.objects.visible_to(request.user).select_related("alert", "channel")
    if status:
        qs = qs.filter(status=status)
    if channel_id:
        qs = qs.filter(channel_id=channel_id)
    return qs.order_by("-id")
