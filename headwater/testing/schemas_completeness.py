"""Schemas of the completeness endpoints."""

from ninja import Schema


class CompletenessCountsOut(Schema):
    roster: int
    sampled: int
    sampled_share: float
    not_sampled: int
    no_result: int
    results: int
    cleared: int
    retest: int
    positive: int
    retests: int
    two_tubes: int


class RowOut(Schema):
    key: str
    label: str
    unit_id: int | None
    company: str
    direct: bool
    counts: CompletenessCountsOut


class GapOut(Schema):
    key: str
    label: str
    count: int


class CompletenessOut(Schema):
    campaign_id: int
    campaign: str
    whole: bool
    unit_id: int | None
    company: str
    totals: CompletenessCountsOut
    gaps: list[GapOut]
    rows: list[RowOut]


class NameOut(Schema):
    """A person (kind "person": name, place, masked phone, status, tubes, note) or a tube
    (kind "tube": barcode, registered, lab_members, capacity, result, members)."""

    kind: str
    entry_id: int | None = None
    name: str = ""
    place: str = ""
    phone: str = ""
    status: str = ""
    tubes: list[str] = []
    note: str = ""
    barcode: str = ""
    registered: int | None = None
    lab_members: int | None = None
    capacity: int | None = None
    result: str = ""
    members: list[str] = []


class NamesOut(Schema):
    items: list[NameOut]
    count: int
