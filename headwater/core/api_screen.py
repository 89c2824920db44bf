"""The command dashboard's data: GET /api/v1/dashboard, every registered panel (core.screen)
of the caller's organization, for holders of core.view_dashboard organization-wide."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Schema

from headwater.core import screen
from headwater.core.apiauth import SessionAuth
from headwater.core.errors import NotAllowed

router = Router(auth=SessionAuth())


class PanelOut(Schema):
    key: str
    title: str
    kind: str
    size: str
    order: int
    page: int
    note: str
    data: dict[str, Any]


class DashboardOut(Schema):
    organization: str
    day: dt.date
    generated_at: dt.datetime
    refresh_seconds: int
    page_seconds: int
    pages: int
    panels: list[PanelOut]


@router.get("/dashboard", response=DashboardOut, tags=["dashboard"])
def get_dashboard(request):
    """The panels of today (kinds and their data: headwater/core/screen.py), made now."""
    if not screen.may_view(request.user):
        raise NotAllowed(_("The command dashboard is for the control office and leaders."))
    return screen.dashboard(request.user.organization)
