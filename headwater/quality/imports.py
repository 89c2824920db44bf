"""Importing results from an instrument's or a LIMS's spreadsheet export (Excel .xlsx or CSV):
one row per indicator measured, rows of the same point and sampling time forming one sample.

Same contract as every import (core.importer): every bad row is named by its Excel row number
with every reason, and a file with any bad row writes nothing. A row is bad when its point is
unknown or outside the importer's units, its indicator unknown, its unit not the catalog's,
its value not a number the evaluator understands, its time unreadable or in the future, or
when the same point, time and indicator appear twice in the file or are already stored — so
uploading the same file again is refused row by row instead of doubling the results.

Why it does not go through core.importer.check(): a year of a utility's results is ~10⁶ rows.
check() materialises the whole table first and its duplicate check compares the cells' texts,
while here "2026/11/2 8:00" and "2026-11-02 08:00", or 浑浊度 and turbidity, are the same key.
So this module streams the rows through the same per-row validator its ImportSpec declares
(`RowChecker`), checks duplicates on the cleaned key, and writes in bulk: samples with
bulk_create, results with COPY on PostgreSQL (bulk_create elsewhere). No row goes through
Model.save(), so there is one audit entry for the whole import (Tally.record) rather than one
per row. Exceedances are handed to services.handle_exceedances once, after the rows are in.
"""

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headwater.core import clock, levels
from headwater.core.errors import NotAllowed
from headwater.core.importer import (
    Column,
    ImportReport,
    ImportSpec,
    RowError,
    Tally,
    UnreadableFile,
    decode_csv,
    export_table,
    map_header,
    read_table,
)
from headwater.core.models import Organization
from headwater.quality import catalog, evaluate, services
from headwater.quality.choices import Outcome, PointKind, ReviewStatus, SampleSource
from headwater.quality.models import Result, Sample, SamplingPoint
from headwater.quality.permissions import ENTER_RESULTS

BATCH = 5000

COLUMNS = (
    Column(
        "point",
        "采样点编号",
        ("point", "point code", "sampling point", "采样点", "采样点代码", "点位编号"),
        required=True,
        label=gettext_lazy("sampling point"),
    ),
    Column(
        "sampled_at",
        "采样时间",
        ("sampled at", "sampling time", "time", "采样日期", "采样日期时间"),
        required=True,
        label=gettext_lazy("sampling time"),
    ),
    Column(
        "indicator",
        "指标",
        ("indicator", "parameter", "item", "检测项目", "项目", "指标名称"),
        required=True,
        label=gettext_lazy("indicator"),
    ),
    Column(
        "value",
        "结果",
        ("value", "result", "检测结果", "测定值", "结果值"),
        required=True,
        label=gettext_lazy("result"),
    ),
    Column("unit", "单位", ("unit", "units", "计量单位"), label=gettext_lazy("unit")),
)

# Units written for a dimensionless indicator (pH): all mean "no unit".
_NO_UNIT = {"", "无", "无量纲", "-", "—", "/", "none", "dimensionless"}
_DATETIME = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:(?:\s+|T|\s*日\s*)(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*分?(?:\s*[:：]\s*(\d{1,2}(?:\.\d+)?)\s*秒?)?)?$"
)
_EXCEL_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")


# --- Cell parsers (shared by the validator and the tests) ---------------------------------


def parse_sampled_at(text: str) -> dt.datetime | None:
    """A local (Asia/Shanghai) time from "2026-11-02 08:00", "2026/11/2 8:00", "2026-11-02
    08:00:00" (an Excel datetime cell as read), "2026年11月2日 8时00分", or an Excel serial
    number such as 46328.333 (a date cell formatted as General); a date alone is midnight.
    None if it is none of these."""
    text = text.strip()
    if _EXCEL_SERIAL.match(text):
        from openpyxl.utils.datetime import from_excel

        naive = from_excel(float(text))
        naive = naive.replace(microsecond=0) + dt.timedelta(seconds=round(naive.microsecond / 1e6))
        return timezone.make_aware(naive)
    match = _DATETIME.match(text)
    if not match:
        return None
    y, mo, d, h, mi, s = match.groups()
    seconds = round(float(s)) if s else 0
    try:
        naive = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0))
    except ValueError:
        return None
    if seconds >= 60:
        return None
    return timezone.make_aware(naive + dt.timedelta(seconds=seconds))


def unit_key(text: str) -> str:
    """How units compare: "mg/l" is "mg/L", "ntu" "NTU", "μg/L" "ug/L", "无量纲" no unit,
    "度（铂钴色度单位）" "度(铂钴色度单位)"."""
    key = unicodedata.normalize("NFKC", text)
    key = re.sub(r"\s+", "", key).casefold().replace("μ", "u").replace("µ", "u")
    return "" if key in _NO_UNIT else key


# --- The row validator --------------------------------------------------------------------


class RowChecker:
    """Validates one row's texts (`validate_row` of the ImportSpec). Knows the points the user
    may import to (any other code is "unknown" to them, so scope does not leak which codes
    exist) and caches the catalog look-ups, which repeat on every row of a large file."""

    def __init__(self, points: Iterable[SamplingPoint], now: dt.datetime) -> None:
        self.points = {p.code.casefold(): p for p in points}
        self.now = now
        self._indicators: dict[str, Any] = {}
        self._units: dict[tuple[str, str], bool] = {}
        self._times: dict[str, dt.datetime | None] = {}
        self._values: dict[tuple[str, str], evaluate.Measured] = {}

    def __call__(self, raw: dict[str, str]) -> dict[str, Any] | list[str]:
        errors: list[str] = []
        row: dict[str, Any] = {}
        if raw["point"]:
            row["point"] = self.points.get(raw["point"].casefold())
            if row["point"] is None:
                errors.append(_("Unknown sampling point %(code)s") % {"code": raw["point"]})
        if raw["sampled_at"]:
            row["sampled_at"] = self.sampled_at(raw["sampled_at"], errors)
        indicator = self.indicator(raw["indicator"], errors) if raw["indicator"] else None
        if indicator is not None:
            row["indicator"] = indicator.code
            self.check_unit(indicator, raw.get("unit", ""), errors)
            if raw["value"]:
                row["measured"] = self.measured(raw["value"], indicator, errors)
        return errors or row

    def sampled_at(self, text: str, errors: list[str]) -> dt.datetime | None:
        if text not in self._times:
            self._times[text] = parse_sampled_at(text)
        when = self._times[text]
        if when is None:
            errors.append(
                _("The sampling time %(value)s is not a date and time (use 2026-11-02 08:00)")
                % {"value": text}
            )
        elif when > self.now:
            errors.append(_("The sampling time %(value)s is in the future") % {"value": text})
        return when

    def indicator(self, text: str, errors: list[str]):
        if text not in self._indicators:
            self._indicators[text] = catalog.find(text)
        found = self._indicators[text]
        if found is None:
            errors.append(_("Unknown indicator %(name)s") % {"name": text})
        return found

    def check_unit(self, indicator, text: str, errors: list[str]) -> None:
        if not text:
            return
        key = (indicator.code, text)
        if key not in self._units:
            # The catalog's unit or one the standard allows for the same figure (CFU/100mL
            # for coliforms, 铂钴色度单位 for colour): results store no unit, so an accepted
            # one is stored as the catalog's.
            self._units[key] = unit_key(text) in {unit_key(u) for u in indicator.accepted_units}
        if not self._units[key]:
            errors.append(
                _("The unit %(unit)s does not match %(indicator)s, measured in %(expected)s")
                % {
                    "unit": text,
                    "indicator": indicator.name_zh,
                    "expected": " / ".join(indicator.accepted_units) or _("no unit"),
                }
            )

    def measured(self, text: str, indicator, errors: list[str]):
        """The evaluator's reading (its messages: not a number, too long, too large …).
        Readings are immutable and reported values repeat (未检出, 0.35 …): one per text."""
        key = (indicator.code, text)
        found = self._values.get(key)
        if found is None:
            try:
                found = self._values[key] = evaluate.parse_value(text, indicator)
            except ValueError as e:
                errors.append(str(e))
        return found


def spec_for(checker: RowChecker) -> ImportSpec:
    """The import as core.importer declares it (columns and row validator), e.g. to run
    core.importer.check() on a file; `import_results` streams the rows through the same
    validator instead (see the module docstring)."""
    return ImportSpec(
        columns=COLUMNS, validate_row=checker, key=("point", "sampled_at", "indicator")
    )


# --- Reading and checking a file ----------------------------------------------------------


@dataclass
class ResultImportReport(ImportReport):
    """The import's report, with what was written once it was: samples (new ones), results,
    and how many of those exceed their limit."""

    samples: int = 0
    results: int = 0
    exceedances: int = 0


@dataclass
class _Good:
    """A good row, compact: a year of results is a million of these."""

    __slots__ = ("row", "point", "sampled_at", "indicator", "measured")
    row: int
    point: SamplingPoint
    sampled_at: dt.datetime
    indicator: str
    measured: Any


def _rows(data: bytes, filename: str) -> Iterator[tuple[int, list[str]]]:
    """(row number as Excel shows it, trimmed cells). CSV is streamed: a million-row file is
    not turned into a million lists at once."""
    if not filename.lower().endswith(".csv"):
        yield from read_table(data, filename)
        return
    text = decode_csv(data)
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            yield number, [c.strip() for c in cells]
    except csv.Error as e:
        raise UnreadableFile(_("The file could not be read as CSV.")) from e


def check_file(
    data: bytes, filename: str, checker: RowChecker
) -> tuple[ResultImportReport, list[_Good]]:
    """Read and validate without writing: the report, and the good rows in file order. The
    same point, time and indicator twice is reported on the later row, naming the first."""
    report = ResultImportReport()
    rows = _rows(data, filename)
    try:
        header = next((cells for _n, cells in rows if any(cells)), None)
        if header is None:
            report.errors.append(_("The file is empty."))
            return report, []
        fields, report.errors = map_header(header, COLUMNS)
        if report.errors:
            return report, []
        good = _check_rows(rows, fields, checker, report)
    except UnreadableFile as e:
        report.errors.append(str(e))
        return report, []
    if not report.total:
        report.errors.append(_("The file has no rows below the header."))
    return report, good


def _check_rows(rows, fields: dict[int, str], checker: RowChecker, report) -> list[_Good]:
    required = [c for c in COLUMNS if c.required]
    missing = {c.field: _("Missing %(label)s") % {"label": c.label} for c in required}
    present = list(fields.items())
    seen: dict[tuple, int] = {}
    good: list[_Good] = []
    for number, cells in rows:
        if not any(cells):
            continue
        report.total += 1
        width = len(cells)
        raw = {f: cells[i] if i < width else "" for i, f in present}
        errors = [missing[c.field] for c in required if not raw.get(c.field)]
        result = checker(raw)
        if isinstance(result, list):
            errors += result
        elif not errors:
            key = (result["point"].pk, result["sampled_at"], result["indicator"])
            first = seen.setdefault(key, number)
            if first != number:
                errors.append(
                    _("The same point, time and indicator are already on row %(row)s")
                    % {"row": first}
                )
        if errors:
            report.bad_rows.append(RowError(number, errors))
        elif not report.bad_rows:  # once a row is bad nothing is written: stop collecting
            good.append(_Good(number, **result))
    if report.bad_rows:
        return []
    return good


def _already_stored(good: list[_Good], report: ResultImportReport) -> None:
    """Rows whose point, time and indicator are already in the database (a re-upload)."""
    if not good:
        return
    times = [g.sampled_at for g in good]
    stored = set(
        Result.objects.filter(
            point_id__in={g.point.pk for g in good},
            sampled_at__gte=min(times),
            sampled_at__lte=max(times),
        ).values_list("point_id", "sampled_at", "indicator")
    )
    if not stored:
        return
    for g in good:
        if (g.point.pk, g.sampled_at, g.indicator) in stored:
            report.bad_rows.append(
                RowError(g.row, [_("This result is already stored (imported or entered before)")])
            )


# --- Writing ------------------------------------------------------------------------------


def import_results(
    file_or_bytes: IO[bytes] | bytes, filename: str, *, organization: Organization, by
) -> ResultImportReport:
    """Import a results file, all or nothing (see the module docstring). Each sample's results
    are evaluated against the limits in force on its date and start at review status
    "entered"; exceedances alert and open re-sampling tasks, once for the whole file."""
    if not by.has_perm(ENTER_RESULTS) or by.organization_id != organization.pk:
        raise NotAllowed(_("Your role may not enter results."))
    data = file_or_bytes if isinstance(file_or_bytes, bytes) else _read(file_or_bytes)
    points = list(SamplingPoint.objects.visible_to(by).of(organization))
    for point in points:  # one instance: levels.value() reads the org's settings once
        point.organization = organization
    checker = RowChecker(points, clock.now())
    report, good = check_file(data, filename, checker)
    if report.ok:
        _already_stored(good, report)
    if not report.ok:
        return report
    with transaction.atomic():
        written = _write(organization, good, by=by)
        tally = Tally(created=written.results)
        tally.record(organization, by=by, filename=filename, what="quality_result_import")
        services.handle_exceedances(_alerting(written, checker.points))
    report.tally = tally
    report.samples, report.results = written.samples, written.results
    report.exceedances = written.exceedances
    return report


def _read(file: IO[bytes]) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read()


@dataclass
class _Written:
    samples: int = 0  # new ones
    results: int = 0
    exceedances: int = 0
    alerting: list[tuple[int, str]] = field(default_factory=list)  # (sample id, indicator)
    raw_alert_class: int = 0


def _write(organization, good: list[_Good], *, by) -> _Written:
    """Samples first (bulk_create gives back their ids), then the results."""
    groups: dict[tuple[int, dt.datetime], list[_Good]] = {}
    for g in good:
        groups.setdefault((g.point.pk, g.sampled_at), []).append(g)
    samples = _samples(organization, groups, by=by)
    written = _Written(samples=len(samples.new))
    written.raw_alert_class = levels.value(organization, "quality.raw_alert_class")
    limits = services.organization_limits(organization.pk)
    rows = _result_rows(groups, samples, limits, written)
    written.results = _store_results(rows)
    return written


@dataclass
class _Samples:
    by_key: dict[tuple[int, dt.datetime], Sample]
    new: list[Sample]
    # (sample id, indicator) already stored on samples the file adds to: a derived result
    # (the THM ratio sum) that one of them already has is kept, not inserted twice.
    stored: set[tuple[int, str]] = field(default_factory=set)


def _samples(organization, groups: dict, *, by) -> _Samples:
    """A sample per point and time; one already stored there (entered by hand, say) takes the
    file's other indicators."""
    points = {g[0].point.pk: g[0].point for g in groups.values()}
    times = [t for _p, t in groups]
    by_key = {
        (s.point_id, s.sampled_at): s
        for s in Sample.objects.filter(
            point_id__in=points, sampled_at__gte=min(times), sampled_at__lte=max(times)
        )
    }
    now = clock.now()
    new = [
        Sample(
            organization=organization,
            point=points[point_id],
            lab_id=points[point_id].lab_id,
            sampled_at=at,
            source=SampleSource.IMPORT,
            entered_by=by,
            entered_at=now,
        )
        for point_id, at in groups
        if (point_id, at) not in by_key
    ]
    stored = set(
        Result.objects.filter(sample__in=list(by_key.values())).values_list(
            "sample_id", "indicator"
        )
    )
    Sample.objects.bulk_create(new, batch_size=BATCH)
    by_key.update({(s.point_id, s.sampled_at): s for s in new})
    for (point_id, _at), sample in by_key.items():
        sample.point = points[point_id]  # result_fields reads point.unit_id and point.kind
    return _Samples(by_key, new, stored)


def _context(point: SamplingPoint, on: dt.date, limits, cache: dict) -> evaluate.Context:
    """services.evaluation_context, once per point kind, supply type and day: the context
    depends on nothing else of the point (the internal limits and relaxations are the
    organization's, by point kind), and a year of a dozen points is thousands of samples."""
    key = (point.kind, point.supply_type, on)
    if key not in cache:
        cache[key] = services.evaluation_context(point, on, limits=limits)
    return cache[key]


def _result_rows(groups: dict, samples: _Samples, limits, written: _Written) -> Iterator[dict]:
    contexts: dict[tuple, evaluate.Context] = {}
    for key, rows in groups.items():
        sample = samples.by_key[key]
        measured = {g.indicator: g.measured for g in rows}
        ctx = _context(sample.point, timezone.localdate(sample.sampled_at), limits, contexts)
        evaluations = evaluate.evaluate_sample(measured, ctx)
        measured |= evaluate.derived(measured, ctx)  # as record_sample: the THM ratio sum
        for code, evaluation in evaluations.items():
            if (sample.pk, code) in samples.stored:
                continue
            fields = services.result_fields(sample, code, measured[code], evaluation)
            if evaluation.outcome == Outcome.FAIL:
                written.exceedances += 1
                written.alerting.append((sample.pk, code))
            elif (
                sample.point.kind == PointKind.RAW
                and (evaluation.source_class or 0) >= written.raw_alert_class
            ):
                written.alerting.append((sample.pk, code))
            yield fields


_RESULT_COLUMNS = (
    "organization_id",
    "sample_id",
    "point_id",
    "unit_id",
    "point_kind",
    "sampled_at",
    "sampled_on",
    "indicator",
    "raw",
    "qualifier",
    "value",
    "outcome",
    "limit_text",
    "standard",
    "source_class",
    "internal_outcome",
    "relaxation_id",
    "status",
    "return_reason",
)


def _store_results(rows: Iterator[dict]) -> int:
    """COPY on PostgreSQL (several times faster than INSERT for 10⁶ rows, indexes kept),
    bulk_create elsewhere. Either way no Model.save(): no per-row audit entries."""
    if connection.vendor == "postgresql":
        return _copy_results(rows)
    count, batch = 0, []
    for fields in rows:
        batch.append(Result(status=ReviewStatus.ENTERED, **fields))
        if len(batch) == BATCH:
            count += len(Result.objects.bulk_create(batch))
            batch = []
    return count + len(Result.objects.bulk_create(batch))


def _copy_results(rows: Iterator[dict]) -> int:
    """COPY, with the foreign keys checked at the end of the COPY rather than at commit:
    Django declares them DEFERRABLE INITIALLY DEFERRED, and a million deferred checks queued
    to the commit measured ~15 s against ~9 s checked right after the statement. Every check
    still runs; the rest of the transaction is deferred again as Django expects."""
    connection.ensure_connection()
    names = _RESULT_COLUMNS[:-2]
    count = 0
    with connection.cursor() as cursor:
        pg = cursor.connection
        with pg.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with cur.copy(f"COPY quality_result ({', '.join(_RESULT_COLUMNS)}) FROM STDIN") as copy:
                for fields in rows:
                    copy.write_row([fields[n] for n in names] + [ReviewStatus.ENTERED.value, ""])
                    count += 1
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
    return count


def _alerting(written: _Written, points: dict[str, SamplingPoint]) -> list[Result]:
    """The new results that alert, read back (COPY gives no ids). They were picked by the
    rule of services.should_alert (exceedances, raw water of a poor class) without a query per
    result, and the read is narrowed by the same rule; services still decides on each."""
    wanted = set(written.alerting)
    by_pk = {p.pk: p for p in points.values()}
    sample_ids = sorted({sample_id for sample_id, _code in wanted})
    rule = Q(outcome=Outcome.FAIL) | Q(
        point_kind=PointKind.RAW, source_class__gte=written.raw_alert_class
    )
    alerting = []
    for i in range(0, len(sample_ids), BATCH):
        for r in Result.objects.filter(rule, sample_id__in=sample_ids[i : i + BATCH]):
            if (r.sample_id, r.indicator) in wanted:
                r.point = by_pk[r.point_id]
                if services.should_alert(r):
                    alerting.append(r)
    return alerting


def template(fmt: str) -> bytes:
    """An empty file with the import's headers, to fill in."""
    return export_table(COLUMNS, [], fmt, title=str(_("Results")))
