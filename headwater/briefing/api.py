"""Briefing endpoints: the archive, one briefing in a language, generate for a day, the
files, and sending a version. Thin: reads through visible_to, writes through services."""

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Header, Query, Router, Schema, Status
from ninja.pagination import paginate

from headwater.briefing import document, files, services
from headwater.briefing.models import Briefing
from headwater.briefing.permissions import GENERATE_BRIEFING, VIEW_BRIEFING
from headwater.briefing.schemas import BriefingOut, BriefingRow, GenerateIn, SendOut
from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Day, Id, Pagination
from headwater.core.errors import require
from headwater.core.writes import idempotent

router = Router(auth=SessionAuth(), tags=["briefings"])
PAGE = 30
Language = Literal["zh-hans", "en"]


class ListFilter(Schema):
    day_from: Day | None = None
    day_to: Day | None = None


def _visible(request):
    require(request.user, VIEW_BRIEFING)
    return Briefing.objects.visible_to(request.user)


@router.get("", response=list[BriefingRow])
@paginate(Pagination, page_size=PAGE)
def list_briefings(request, filters: Query[ListFilter]):
    """Each day's latest version, newest day first; `day_from`/`day_to` bound the days."""
    rows = _visible(request).latest_versions().with_version_counts()
    if filters.day_from:
        rows = rows.filter(day__gte=filters.day_from)
    if filters.day_to:
        rows = rows.filter(day__lte=filters.day_to)
    return rows.defer("content").order_by("-day")


def _out(request, briefing: Briefing, lang: str | None) -> dict:
    others = list(
        _visible(request)
        .filter(kind=briefing.kind, day=briefing.day)
        .exclude(pk=briefing.pk)
        .order_by("-version")
        .values_list("pk", flat=True)
    )
    return {
        **{f: getattr(briefing, f) for f in BriefingRow.model_fields if f != "versions"},
        "versions": len(others) + 1,
        "previous_versions": others,
        "document": briefing.doc(lang or document.language()),
    }


@router.get("/{int:briefing_id}", response=BriefingOut)
def one(request, briefing_id: Id, language: Language | None = None):
    """One version; `language` zh-hans or en (default: the request's language)."""
    return _out(request, get_object_or_404(_visible(request), pk=briefing_id), language)


@router.post("/generate", response={200: BriefingOut, 201: BriefingOut})
def generate(
    request, payload: GenerateIn, idempotency_key: str = Header("", alias="Idempotency-Key")
):
    """Generate the briefing of a day (office): 201 with a new version when the content
    changed (or the day had none), 200 with the latest when nothing changed."""
    require(request.user, GENERATE_BRIEFING)
    briefing, created = idempotent(
        "briefing.generate",
        by=request.user,
        key=idempotency_key,
        model=Briefing,
        write=lambda: services.generate(request.user.organization, payload.day, by=request.user),
    )
    return Status(201 if created else 200, _out(request, briefing, None))


@router.get("/{int:briefing_id}/download/{fmt}", response={200: None})
def download(request, briefing_id: Id, fmt: Literal["pdf", "docx", "xlsx"]):
    """The version as a PDF, Word or Excel file in the request's language."""
    briefing = get_object_or_404(_visible(request), pk=briefing_id)
    return files.response(briefing.doc(document.language()), fmt)


@router.post("/{int:briefing_id}/send", response=SendOut)
def send(request, briefing_id: Id):
    """Send the version to the group robots and by e-mail (office), once per channel:
    `sent_now` lists what this request sent, `dispatches` everything sent for it."""
    require(request.user, GENERATE_BRIEFING)
    briefing = get_object_or_404(_visible(request), pk=briefing_id)
    made = services.distribute(briefing, by=request.user)
    return {"sent_now": made, "dispatches": list(briefing.dispatches.order_by("created_at"))}
