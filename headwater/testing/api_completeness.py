"""Completeness endpoints (不落一人): the reconciliation of a campaign and the names behind
each gap, in the caller's scope — what the page shows."""

from dataclasses import asdict
from typing import Annotated, Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router

from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id
from headwater.core.models import Unit
from headwater.core.tiles import render
from headwater.testing import completeness_names as names
from headwater.testing.completeness import GAPS, reconcile, viewer
from headwater.testing.completeness_names import Person
from headwater.testing.models import Campaign
from headwater.testing.schemas_completeness import CompletenessOut, NamesOut

router = Router(auth=SessionAuth())
TAG = "test campaign completeness"
Gap = Literal[tuple(GAPS)]  # type: ignore[valid-type]
Company = Annotated[str, Field(max_length=100)]
PageNumber = Annotated[int, Field(ge=1, le=100_000)]


def _viewer(request, campaign_id: int, unit_id: int | None, company: str):
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=campaign_id)
    unit = None
    if unit_id:
        unit = get_object_or_404(
            Unit.objects.filter(organization_id=campaign.organization_id), pk=unit_id
        )
    try:
        return viewer(request.user, campaign, unit=unit, company=company.strip())
    except LookupError:
        raise Http404 from None


def _counts(c) -> dict:
    return c.as_dict()


@router.get("/campaigns/{campaign_id}/completeness", response=CompletenessOut, tags=[TAG])
def completeness(request, campaign_id: Id, unit_id: Id | None = None, company: Company = ""):
    v = _viewer(request, campaign_id, unit_id, company)
    r = reconcile(v)
    counts = r.gap_counts
    return {
        "campaign_id": v.campaign.pk,
        "campaign": v.campaign.name,
        "whole": v.whole,
        "unit_id": v.unit.pk if v.unit else None,
        "company": v.company,
        "totals": _counts(r.totals),
        "gaps": [
            {"key": key, "label": render(label), "count": counts[key]}
            for key, label in GAPS.items()
            if v.whole or key != "orphan_results"
        ],
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                "unit_id": row.unit.pk if row.unit else None,
                "company": row.company,
                "direct": row.direct,
                "counts": _counts(row.counts),
            }
            for row in r.rows
        ],
    }


@router.get("/campaigns/{campaign_id}/completeness/names", response=NamesOut, tags=[TAG])
def completeness_names(
    request,
    campaign_id: Id,
    gap: Gap,
    unit_id: Id | None = None,
    company: Company = "",
    page: PageNumber = 1,
):
    v = _viewer(request, campaign_id, unit_id, company)
    if gap == "orphan_results" and not v.whole:
        return {"items": [], "count": 0}
    count = names.count(v, gap)
    items = [
        {"kind": "person", **asdict(row)}
        if isinstance(row, Person)
        else {"kind": "tube", **asdict(row)}
        for row in names.page(v, gap, page)
    ]
    return {"items": items, "count": count}
