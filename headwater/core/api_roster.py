"""Roster endpoints: import a spreadsheet of people, export the people in scope.

Thin over core.roster. A refused import answers 422 in the API's error shape (see
headwater/api.py) with one more key, `rows`, naming every bad row and its reasons.
"""

from typing import Literal

from django.http import HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from headwater.core import roster
from headwater.core.apiauth import SessionAuth
from headwater.core.downloads import attachment
from headwater.core.importer import CONTENT_TYPES, ImportReport
from headwater.core.models import Person

router = Router(auth=SessionAuth(), tags=["people"])


class ImportSummaryOut(Schema):
    total: int
    created: int
    updated: int
    unchanged: int


class RowErrorOut(Schema):
    row: int
    errors: list[str]


class ImportErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str]
    rows: list[RowErrorOut]


class ImportRejectedOut(Schema):
    error: ImportErrorOut


@router.post("/people/import", response={200: ImportSummaryOut, 422: ImportRejectedOut})
def import_people(request, file: File[UploadedFile]):
    """Create and update people from an .xlsx or .csv file, all or nothing."""
    report = roster.import_roster(request.user.organization, file, file.name, by=request.user)
    if not report.ok:
        return Status(422, rejected(report))
    tally = report.tally
    return {
        "total": report.total,
        "created": tally.created,
        "updated": tally.updated,
        "unchanged": tally.unchanged,
    }


@router.get("/people/export")
def export_people(request, format: Literal["xlsx", "csv"] = "xlsx", unmasked: bool = False):
    """The people in the caller's scope as a file; phone and ID number masked unless
    `unmasked` (personal-data permission; logged)."""
    data = roster.export_roster(
        Person.objects.visible_to(request.user), format, unmasked=unmasked, by=request.user
    )
    response = HttpResponse(data, content_type=CONTENT_TYPES[format])
    return attachment(response, *roster.export_filename(format))


def rejected(report: ImportReport) -> dict:
    """The error shape of headwater/api.py's error_response, plus the bad rows."""
    return {
        "error": {
            "code": "import_rejected",
            "message": report.rejection_message(),
            "fields": {"file": " ".join(report.errors)} if report.errors else {},
            "rows": [{"row": r.row, "errors": r.errors} for r in report.bad_rows],
        }
    }
