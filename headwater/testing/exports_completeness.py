"""The completeness view as an Excel workbook (core.importer.export_sheets): the per-unit
summary, then one sheet per gap with every name behind it (masked phones), in the viewer's
scope and language."""

from django.utils.translation import gettext as _

from headwater.core.importer import export_sheets
from headwater.testing import completeness_names as names
from headwater.testing.completeness import GAPS, PERSON_GAPS, Reconciliation


def workbook(r: Reconciliation) -> bytes:
    v = r.viewer
    sheets = [(_("By unit"), _summary_header(), _summary_rows(r))]
    person_header = [
        _("Name"),
        _("Unit or company"),
        _("Phone"),
        _("Status"),
        _("Tubes"),
        _("Note"),
    ]
    tube_header = [
        _("Tube"),
        _("Registered"),
        _("Counted by the laboratory"),
        _("Places"),
        _("Result"),
        _("Members"),
    ]
    for gap, title in GAPS.items():
        if gap == "orphan_results" and not v.whole:
            continue
        if gap in PERSON_GAPS:
            rows = (
                [p.name, p.place, p.phone, p.status, " ".join(p.tubes), p.note]
                for p in names.every(v, gap)
            )
            sheets.append((str(title), person_header, rows))
        else:
            rows = (
                [
                    t.barcode,
                    t.registered,
                    t.lab_members if t.lab_members is not None else "",
                    t.capacity,
                    t.result,
                    "、".join(t.members),
                ]
                for t in names.every(v, gap)
            )
            sheets.append((str(title), tube_header, rows))
    return export_sheets(sheets)


def _summary_header() -> list[str]:
    return [
        _("Unit or company"),
        _("On the roster"),
        _("Sampled"),
        _("Sampled (%)"),
        _("Not sampled"),
        _("Sampled, no result"),
        _("Negative"),
        _("Retests pending"),
        _("Sampled twice or in conflict"),
    ]


def _line(label, c) -> list:
    return [
        label,
        c.roster,
        c.sampled,
        c.sampled_share,
        c.not_sampled,
        c.no_result,
        c.cleared,
        c.retests,
        c.two_tubes,
    ]


def _summary_rows(r: Reconciliation):
    for row in r.rows:
        yield _line(row.label, row.counts)
    yield _line(_("Total"), r.totals)
