"""The one spreadsheet import mechanism (Excel .xlsx and CSV), reused by every capability that
takes a list from a spreadsheet: the roster, risk areas, water-quality results …

Why it works this way: offices keep their lists in Excel or WPS and fix them there, so the
report names every bad row by the number they see in Excel (header = row 1) with every reason
at once, and a file with any bad row writes nothing — a half-imported list is worse than none.
The same column spec writes templates and exports, so a downloaded file imports back as is.

A capability declares its columns and a row validator, and hands over a function that writes:

    spec = ImportSpec(columns=COLUMNS, validate_row=check_row, key=("site_code", "sampled_on"))
    report = run_import(upload, upload.name, spec, apply=save_results)  # apply returns a Tally
    if not report.ok: show(report.errors, report.bad_rows)             # nothing was written
"""

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from auditlog.models import LogEntry
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.exceptions import InvalidFileException

from headwater.core import audit

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@dataclass(frozen=True)
class Column:
    """One column. `header` is what templates and exports write (Chinese, as offices expect);
    `aliases` are further headers accepted on import (English ones, common variants); case,
    spaces and underscores do not matter. `label` (translated) names the field in messages."""

    field: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    label: str = ""


# Takes a row's texts by field name; returns the cleaned values or the reasons the row is bad.
RowValidator = Callable[[dict[str, str]], "dict[str, Any] | list[str]"]


@dataclass(frozen=True)
class ImportSpec:
    """What a capability imports. `validate_row` gets the trimmed text of every column present
    in the file (a column the file lacks is absent, so the caller can leave that field alone);
    it also sees rows whose required values are blank (already reported), so it should not
    report blanks again. `key` names the fields that must be unique within the file."""

    columns: Sequence[Column]
    validate_row: RowValidator
    key: tuple[str, ...] = ()


@dataclass
class RowError:
    """A bad row: its number as Excel shows it (header = row 1), and every reason."""

    row: int
    errors: list[str]


@dataclass
class Tally:
    """What an apply function did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def record(self, organization, *, by, filename: str, what: str) -> bool:
        """One audit event for an import that changed something (none when nothing did, so
        re-importing the same file leaves no trace). Returns whether anything changed."""
        if not (self.created or self.updated):
            return False
        audit.record(
            organization,
            actor=by,
            action=LogEntry.Action.UPDATE,
            file=filename,
            **{what: f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"},
        )
        return True


@dataclass
class ImportReport:
    """`total` counts the non-blank rows below the header. `errors` concern the file as a whole
    (unreadable, columns missing); `bad_rows` name each bad row. `tally` is set only once the
    rows were written."""

    total: int = 0
    errors: list[str] = field(default_factory=list)
    bad_rows: list[RowError] = field(default_factory=list)
    tally: Tally | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.bad_rows

    def rejection_message(self) -> str:
        if self.errors:
            return _("Nothing was imported: %(reasons)s") % {"reasons": " ".join(self.errors)}
        n = len(self.bad_rows)
        return ngettext(
            "Nothing was imported: %(count)s row has errors. Correct it and upload the file again.",
            "Nothing was imported: %(count)s rows have errors. Correct them and upload the file "
            "again.",
            n,
        ) % {"count": n}


class UnreadableFile(Exception):
    """The upload is not a spreadsheet we can read; the message says what to do."""


def run_import(
    file: IO[bytes] | bytes,
    filename: str,
    spec: ImportSpec,
    apply: Callable[[list[dict[str, Any]]], Tally],
) -> ImportReport:
    """Check the whole file; only if every row is good, run `apply` on the cleaned rows (in file
    order) inside one transaction, so a failure half-way writes nothing either."""
    report, rows = check(file, filename, spec)
    if report.ok:
        with transaction.atomic():
            report.tally = apply(rows)
    return report


def check(
    file: IO[bytes] | bytes, filename: str, spec: ImportSpec
) -> tuple[ImportReport, list[dict[str, Any]]]:
    """Read and validate without writing: the report, and the cleaned rows if it is ok."""
    report = ImportReport()
    try:
        table = [(n, cells) for n, cells in read_table(file, filename) if any(cells)]
    except UnreadableFile as e:
        report.errors.append(str(e))
        return report, []
    if not table:
        report.errors.append(_("The file is empty."))
        return report, []
    fields, report.errors = map_header(table[0][1], spec.columns)
    if not report.errors and len(table) == 1:
        report.errors.append(_("The file has no rows below the header."))
    if report.errors:
        return report, []
    report.total = len(table) - 1
    cleaned = []
    seen: dict[tuple[str, ...], int] = {}
    for number, cells in table[1:]:
        raw = {f: cells[i] if i < len(cells) else "" for i, f in fields.items()}
        errors = [
            _("Missing %(label)s") % {"label": c.label or c.header}
            for c in spec.columns
            if c.required and not raw[c.field]
        ]
        result = spec.validate_row(raw)
        errors += result if isinstance(result, list) else []
        errors += _duplicate(spec, raw, number, seen)
        if errors:
            report.bad_rows.append(RowError(number, errors))
        else:
            cleaned.append(result)
    return report, cleaned


def read_table(file: IO[bytes] | bytes, filename: str) -> list[tuple[int, list[str]]]:
    """Every row of the first sheet as (row number as Excel shows it, trimmed cell texts)."""
    data = file if isinstance(file, bytes) else _read_bytes(file)
    kind = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if kind == "xlsx":
        rows: Iterable[Sequence[Any]] = _xlsx_rows(data)
    elif kind == "csv":
        rows = _csv_rows(data)
    else:
        raise UnreadableFile(_("Upload an Excel (.xlsx) or CSV file."))
    return [(n, [_text(v) for v in row]) for n, row in enumerate(rows, start=1)]


def export_table(
    columns: Sequence[Column], rows: Iterable[Sequence[Any]], fmt: str, *, title: str = "Sheet1"
) -> bytes:
    """A file with the columns' headers and the rows. Rows may be a generator: the xlsx is
    written in openpyxl's write-only mode, so memory stays flat for large exports."""
    headers = [c.header for c in columns]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows([_defused_csv(v) for v in row] for row in rows)
        # With the BOM, Excel on a Chinese Windows opens UTF-8 rather than guessing GBK.
        return out.getvalue().encode("utf-8-sig")
    if fmt != "xlsx":
        raise ValueError(f"unknown format {fmt!r}")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title)
    ws.append(headers)
    for row in rows:
        ws.append([_xlsx_cell(ws, v) for v in row])
    out_bytes = io.BytesIO()
    wb.save(out_bytes)
    return out_bytes.getvalue()


def export_sheets(sheets: Iterable[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]]) -> bytes:
    """An xlsx workbook of several sheets, each `(title, headers, rows)`: titles cut to
    Excel's 31 characters without the characters it forbids; cells written as export_table
    writes them (text that looks like a formula stays text), rows may be generators."""
    wb = Workbook(write_only=True)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=re.sub(r"[\\[\]:*?/]", " ", str(title))[:31] or "Sheet")
        ws.append([str(h) for h in headers])
        for row in rows:
            ws.append([_xlsx_cell(ws, v) for v in row])
    out_bytes = io.BytesIO()
    wb.save(out_bytes)
    return out_bytes.getvalue()


def _read_bytes(file: IO[bytes]) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read()


def _xlsx_rows(data: bytes) -> list[tuple[Any, ...]]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        OSError,
    ) as e:
        raise UnreadableFile(_("The file could not be read as an Excel workbook.")) from e
    try:
        ws = wb.active or wb.worksheets[0]
        # Files written by some tools declare a wrong sheet size; measure it instead.
        ws.reset_dimensions()
        return [tuple(r) for r in ws.iter_rows(values_only=True)]
    except (KeyError, ValueError, TypeError, IndexError) as e:
        raise UnreadableFile(_("The file could not be read as an Excel workbook.")) from e
    finally:
        wb.close()


def decode_csv(data: bytes) -> str:
    """Excel saves "CSV UTF-8" with a BOM, plain "CSV" on a Chinese Windows as GBK (GB18030
    is its superset), so try both."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("The file could not be read as text; save it as CSV (UTF-8)."))


def _csv_rows(data: bytes) -> list[list[str]]:
    text = decode_csv(data)
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as e:
        raise UnreadableFile(_("The file could not be read as CSV.")) from e


def _text(value: Any) -> str:
    """A cell as the user sees it: 1001 not 1001.0, dates as YYYY-MM-DD, trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-*]", "", header).casefold()


def map_header(header: list[str], columns: Sequence[Column]) -> tuple[dict[int, str], list[str]]:
    """Position → field for the recognised headers (others are ignored), and header errors."""
    by_name = {_norm(a): c for c in columns for a in (c.header, *c.aliases)}
    fields: dict[int, str] = {}
    errors = []
    for i, text in enumerate(header):
        column = by_name.get(_norm(text))
        if column is None:
            continue
        if column.field in fields.values():
            errors.append(_("The column “%(header)s” appears twice.") % {"header": text})
        fields[i] = column.field
    errors += [
        _("The file has no “%(header)s” column.") % {"header": c.header}
        for c in columns
        if c.required and c.field not in fields.values()
    ]
    return fields, errors


def _duplicate(
    spec: ImportSpec, raw: dict[str, str], number: int, seen: dict[tuple[str, ...], int]
) -> list[str]:
    """A repeated natural key is reported on each later row, naming the first one."""
    if not spec.key:
        return []
    key = tuple(raw.get(f, "") for f in spec.key)
    if not all(key):
        return []
    first = seen.setdefault(key, number)
    if first == number:
        return []
    labels = {c.field: c.label or c.header for c in spec.columns}
    return [
        _("Duplicate %(label)s in this file (also on row %(row)s)")
        % {"label": " / ".join(str(labels[f]) for f in spec.key), "row": first}
    ]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defused_csv(value: Any) -> Any:
    # A name such as "=HYPERLINK(…)" must stay text when the export is opened in Excel.
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _xlsx_cell(ws, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters make openpyxl refuse
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(ws, value)
    cell.data_type = "s"  # text, not a formula: a name such as "=HYPERLINK(…)" stays inert
    return cell
