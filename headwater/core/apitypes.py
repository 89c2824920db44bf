"""Bounded types for the API's inputs, and the one pagination every list uses.

A plain `int` in a schema or a query admits 10**30: the database driver then raises
(SQLite and PostgreSQL bigint stop at 2**63, PostgreSQL integer at 2**31) and the client sees a
500. Every id, count and page number the API reads is one of these types, so such a value is
refused as a validation error (422, the API's error shape) before any query runs.
"""

import datetime as dt
from typing import Annotated, ClassVar

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, ValidationInfo, field_validator

from headwater.core.validators import INT_MAX, is_record_date

Id = Annotated[int, Field(ge=1, le=INT_MAX)]
Count = Annotated[int, Field(ge=0, le=INT_MAX)]
Year = Annotated[int, Field(ge=1900, le=2999)]


def _day(value: dt.date) -> dt.date:
    if not is_record_date(value):
        raise ValueError(_("Enter a date between the years 1900 and 2999."))
    return value


def _moment(value: dt.datetime) -> dt.datetime:
    _day(value.date())
    # A time without an offset is the organization's local time, as on the pages.
    return timezone.make_aware(value) if timezone.is_naive(value) else value


Day = Annotated[dt.date, AfterValidator(_day)]
Moment = Annotated[dt.datetime, AfterValidator(_moment)]


class Pagination(PageNumberPagination):
    """`?page=` and `?page_size=` bounded, so the offset stays a number the database takes."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=1_000)


class Patch(Schema):
    """A partial update: a field left out keeps its value; a field sent as null is refused
    (the columns behind these fields hold no null), except the fields named in `nullable`,
    whose columns do hold null (a point's site: null clears it)."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*")
    @classmethod
    def _not_null(cls, value, info: ValidationInfo):
        if value is None and info.field_name not in cls.nullable:
            raise ValueError(_("This field may not be empty."))
        return value
