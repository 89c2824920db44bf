"""The compliance report as files: an Excel workbook (one sheet per table) and an A4 PDF in
Chinese, both from the same `reports.ComplianceReport` the page shows."""

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill

from headwater.core import downloads
from headwater.quality.choices import Outcome
from headwater.quality.reports import CLASSES, ComplianceReport, Row, Tally

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FLAG_FILL = PatternFill("solid", fgColor="F8D7DA")
BOLD = Font(bold=True)


def filename(report: ComplianceReport, fmt: str) -> tuple[str, str]:
    """(the file's name in the user's language, its ASCII name)."""
    period, name = report.period.slug, _("Water quality report")
    if report.unit is None:
        return f"{name}-{period}.{fmt}", f"water-quality-{period}.{fmt}"
    return (
        f"{name}-{period}-{report.unit.name}.{fmt}",
        f"water-quality-{period}-{report.unit.code}.{fmt}",
    )


def render(report: ComplianceReport, fmt: str) -> bytes:
    if fmt == "xlsx":
        return workbook(report)
    if fmt == "pdf":
        return pdf(report)
    raise ValueError(f"unknown format {fmt!r}")


def title(report: ComplianceReport) -> str:
    org = report.organization
    name = getattr(org, "name", str(org))
    scope = f" · {report.unit.name}" if report.unit is not None else ""
    return (
        _("%(org)s water quality report %(period)s")
        % {
            "org": name,
            "period": report.period.label,
        }
        + scope
    )


def class_labels() -> list[str]:
    roman = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ")
    return [_("Class %(n)s") % {"n": n} for n in roman] + [_("Worse than V")]


def rate_tables(rep: ComplianceReport) -> list[dict]:
    """The rate tables of the page and the PDF, in their order (and width on the page)."""
    half, full = "col-xxl-6", "col-12"
    tables = [
        {
            "title": _("By plant"),
            "first": _("Plant"),
            "rows": rep.by_plant,
            "col": half,
            "testid": "by-plant",
            "samples": True,
        },
        {
            "title": _("By kind of point"),
            "first": _("Kind of point"),
            "rows": rep.by_kind,
            "col": half,
            "testid": "by-kind",
            "samples": True,
        },
    ]
    if len(rep.by_month) > 1:
        tables.append(
            {
                "title": _("By month"),
                "first": _("Month"),
                "rows": rep.by_month,
                "col": full,
                "testid": "by-month",
                "samples": True,
            }
        )
    tables.append(
        {
            "title": _("By indicator"),
            "first": _("Indicator"),
            "rows": rep.by_indicator,
            "col": "col-lg-7",
            "testid": "by-indicator",
            "trend": True,
        }
    )
    return tables


# --- Excel ---------------------------------------------------------------------------------


def _cell(ws, value, *, bold=False, flag=False):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(ws, value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula: values come from people's entries
    if bold:
        cell.font = BOLD
    if flag:
        cell.fill = FLAG_FILL
    return cell


def _append(ws, values, *, bold=False, flag=False) -> None:
    ws.append([_cell(ws, v, bold=bold, flag=flag) for v in values])


def _rate_headers(with_samples: bool) -> list[str]:
    headers = [_("Tests"), _("Passed"), _("Over limit"), _("Inconclusive"), _("Test pass rate (%)")]
    if with_samples:
        headers += [_("Samples"), _("Samples passed"), _("Sample pass rate (%)")]
    return headers + [_("Below 95%")]


def _rate_values(row_tests: Tally, samples: Tally | None, with_samples: bool) -> list:
    values = [
        row_tests.total,
        row_tests.passed,
        row_tests.failed,
        row_tests.inconclusive,
        row_tests.rate,
    ]
    if with_samples:
        s = samples or Tally()
        values += [s.total, s.passed, s.rate]
    below = row_tests.below_target or bool(samples and samples.below_target)
    return values + [_("Yes") if below else ""]


def _table(ws, first: str, rows: list[Row], with_samples: bool) -> None:
    _append(ws, [first, *_rate_headers(with_samples)], bold=True)
    for row in rows:
        below = row.tests.below_target or bool(row.samples and row.samples.below_target)
        _append(ws, [row.label, *_rate_values(row.tests, row.samples, with_samples)], flag=below)


def workbook(report: ComplianceReport) -> bytes:
    """Sheets: summary, by plant, by kind, by indicator, exceedances, raw-water classes."""
    wb = Workbook(write_only=True)
    _summary_sheet(wb.create_sheet(_("Summary")), report)
    _table(wb.create_sheet(_("By plant")), _("Plant"), report.by_plant, True)
    _table(wb.create_sheet(_("By kind")), _("Kind of point"), report.by_kind, True)
    ws = wb.create_sheet(_("By indicator"))
    _append(ws, [_("Code"), _("Indicator"), *_rate_headers(False)], bold=True)
    for row in report.by_indicator:
        flag = row.tests.below_target
        _append(ws, [row.key, row.label, *_rate_values(row.tests, None, False)], flag=flag)
    _exceedance_sheet(wb.create_sheet(_("Exceedances")), report)
    _guidance_sheet(wb.create_sheet(_("Guidance values")), report)
    ws = wb.create_sheet(_("Raw-water classes"))
    _append(ws, [_("Plant"), _("Indicator"), *class_labels(), _("Total")], bold=True)
    for row in report.raw_classes:
        _append(ws, [row.unit, row.label, *row.counts, row.total])
    if report.raw_classes:
        _append(ws, [_("Total"), "", *report.raw_class_totals, sum(report.raw_class_totals)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _summary_sheet(ws, report: ComplianceReport) -> None:
    _append(ws, [title(report)], bold=True)
    _append(
        ws,
        [_("Period"), f"{report.period.date_from:%Y-%m-%d}", f"{report.period.date_to:%Y-%m-%d}"],
    )
    _append(ws, [])
    _append(ws, ["", *_rate_headers(True)], bold=True)
    _append(
        ws,
        [_("All treated water"), *_rate_values(report.tests, report.samples, True)],
        flag=report.tests.below_target or report.samples.below_target,
    )
    _append(ws, [])
    c = report.composite
    _append(ws, [_("Network water composite pass rate (CJ/T 206)"), c.rate], bold=True)
    _append(ws, [_("Item"), _("Tests"), _("Passed"), _("Pass rate (%)")], bold=True)
    for item in c.items:
        _append(
            ws,
            [item.label, item.tests.total, item.tests.passed, item.tests.rate],
            flag=item.tests.below_target,
        )
    _append(ws, [_("Other indicators"), c.others.total, c.others.passed, c.others.rate])
    _append(ws, [])
    _append(ws, [_("Exceedances"), report.exceedance_total], bold=True)
    _append(
        ws,
        [_("Over a guidance value: nuclide analysis needed"), report.guidance_total],
        bold=True,
    )
    if len(report.by_month) > 1:
        _append(ws, [])
        _table(ws, _("Month"), report.by_month, True)
    _append(ws, [])
    _append(ws, [_("Relaxations in force")], bold=True)
    _append(
        ws,
        [_("Indicator"), _("Kind of point"), _("From"), _("Until"), _("Reason"), _("Results")],
        bold=True,
    )
    for r in report.relaxations:
        x = r.relaxation
        kind = x.get_point_kind_display() or _("All kinds")
        _append(ws, [r.label, kind, x.valid_from, x.valid_until, x.reason, r.results])
    _append(ws, [])
    _append(ws, [_note()])


def _note() -> str:
    return _(
        "Only approved results count. Test pass rate = passed ÷ (passed + failed); "
        "inconclusive results and results over a guidance value (gross α / β radioactivity: "
        "a nuclide analysis is needed, not a failure) are counted apart and left out. "
        "A sample passes when all its "
        "evaluated results pass. Raw water is classified by GB 3838 and not in the rates. "
        "Target: 95% (CJ/T 206)."
    )


def _exceedance_sheet(ws, report: ComplianceReport) -> None:
    _append(
        ws,
        [
            _("Sampled at"),
            _("Plant"),
            _("Sampling point"),
            _("Indicator"),
            _("Value"),
            _("Limit"),
            _("Relaxed limit"),
        ],
        bold=True,
    )
    for e in report.exceedances:
        _append(
            ws,
            [
                f"{timezone.localtime(e.sampled_at):%Y-%m-%d %H:%M}",
                e.unit,
                e.point,
                e.label,
                e.raw,
                e.limit_text,
                _("Yes") if e.relaxed else "",
            ],
        )
    if report.exceedance_total > len(report.exceedances):
        more = report.exceedance_total - len(report.exceedances)
        _append(ws, [_("… and %(n)s more") % {"n": more}])


def _guidance_sheet(ws, report: ComplianceReport) -> None:
    """Results over a guidance value (gross α / β): a nuclide analysis is needed."""
    headers = [_("Sampled at"), _("Plant"), _("Sampling point"), _("Indicator"), _("Value")]
    _append(ws, [*headers, _("Guidance value"), _("Evaluation")], bold=True)
    for e in report.guidance:
        _append(
            ws,
            [
                f"{timezone.localtime(e.sampled_at):%Y-%m-%d %H:%M}",
                e.unit,
                e.point,
                e.label,
                e.raw,
                e.limit_text,
                str(Outcome.GUIDANCE.label),
            ],
        )
    if report.guidance_total > len(report.guidance):
        more = report.guidance_total - len(report.guidance)
        _append(ws, [_("… and %(n)s more") % {"n": more}])


# --- PDF -----------------------------------------------------------------------------------


def pdf(report: ComplianceReport) -> bytes:
    """A4 portrait, Chinese (Noto Sans CJK SC), the same tables as the workbook."""

    html = render_to_string(
        "quality/report_pdf.html",
        {
            "report": report,
            "title": title(report),
            "classes": class_labels(),
            "note": _note(),
            "tables": rate_tables(report),
            "generated": timezone.localtime(),
            "n_classes": len(CLASSES),
        },
    )
    return downloads.pdf(html)
