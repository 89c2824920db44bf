"""The briefing as an Excel workbook: a summary sheet (title, issue, key points, the key
figures with the day before and the change, the exceptions) and one sheet per detail table
(header row bold and frozen, filters on, columns wide enough for their text)."""

import io
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from headwater.briefing.formats.layout import decimals_of, text_width

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14, color="C0242B")
FLAG_FILL = {
    "overdue": PatternFill("solid", fgColor="FDF0D5"),
    "abnormal": PatternFill("solid", fgColor="F9DCDC"),
    "decision": PatternFill("solid", fgColor="DDE8F7"),
}
HEADER_FILL = PatternFill("solid", fgColor="E8EBF0")
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_WIDTH = 60
SAMPLE_ROWS = 1000  # column widths are judged on the first rows


def _cell(ws, value, *, font=None, fill=None):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(ws, value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula: values come from people's entries
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def _append(ws, values, **style) -> None:
    ws.append([_cell(ws, v, **style) for v in values])


def _widths(ws, rows: list[list], minimum: int = 6) -> None:
    widths: dict[int, int] = {}
    for row in rows[:SAMPLE_ROWS]:
        for i, value in enumerate(row, start=1):
            widths[i] = max(widths.get(i, minimum), text_width(value))
    for i, width in widths.items():
        ws.column_dimensions[get_column_letter(i)].width = min(width + 2, MAX_WIDTH)


def sheet_name(wanted: str, taken: set[str], fallback: str) -> str:
    """A sheet name Excel accepts: no []:*?/\\, not starting or ending with ', at most 31
    characters, unique in the workbook (case-insensitively): a repeat gets " (2)"."""
    base = FORBIDDEN.sub(" ", wanted or "").strip().strip("'").strip() or fallback
    base = base[:31]
    name, n = base, 1
    while name.casefold() in taken or name.casefold() == "history":
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


def _summary(ws, p: dict) -> None:
    w = p["words"]
    rows: list[list] = [
        [p.get("title", "")],
        [p.get("number_line", "")],
        [w["day"], p.get("day_text", "")],
        [w["issuer"], p.get("issuer", "")],
        [w["issued_at"], p.get("issued_at", "")],
        [w["level"], p.get("level", "")],
        [w["version"], p.get("version", 1)],
    ]
    if p.get("quiet"):
        rows.append([w["zero_report"]])
    if p.get("link"):
        rows.append([w["link"], p["link"]])
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 24
    for col in "CDEF":
        ws.column_dimensions[col].width = 12
    _append(ws, rows[0], font=TITLE)
    for row in rows[1:]:
        _append(ws, row)
    _append(ws, [])
    _append(ws, [w["key_points"]], font=BOLD)
    for i, point in enumerate(p.get("key_points", []), start=1):
        _append(ws, [i, point])
    if p.get("changes"):
        _append(ws, [])
        _append(ws, [w["changes"]], font=BOLD)
        for i, change in enumerate(p["changes"], start=1):
            _append(ws, [i, change])
    _append(ws, [])
    _figures(ws, p, w)
    flags = [(s["title"], f) for s in p["sections"] for f in s["flags"]]
    if flags:
        _append(ws, [])
        _append(ws, [w["flags"]], font=BOLD)
        _append(ws, [w["section"], w["kind"], w["details"]], font=BOLD, fill=HEADER_FILL)
        for title, f in flags:
            _append(ws, [title, f["label"], f.get("text", "")], fill=FLAG_FILL.get(f["kind"]))


def _figures(ws, p: dict, w: dict) -> None:
    """Numbers stay numbers (shown with the figure's decimals), so the office can reckon."""
    header = [w["section"], w["indicator"], w["value"], w["previous"], w["change"], w["unit"]]
    _append(ws, [w["figures"]], font=BOLD)
    _append(ws, header, font=BOLD, fill=HEADER_FILL)
    for s in p["sections"]:
        for f in s["figures"]:
            value, previous = f.get("value"), f.get("previous")
            decimals = decimals_of(f.get("text", ""))
            delta = None
            if value is not None and previous is not None:
                delta = round(value - previous, decimals)
            shown = "#,##0" + ("." + "0" * decimals if decimals else "")
            cells = [_cell(ws, s["title"]), _cell(ws, f["label"])]
            for number, fmt in ((value, shown), (previous, shown), (delta, f"+{shown};-{shown};0")):
                cell = _cell(ws, number)
                cell.number_format = fmt
                cells.append(cell)
            cells.append(_cell(ws, f.get("unit", "")))
            ws.append(cells)


def _detail(ws, table: dict) -> None:
    header = table.get("header", [])
    rows = table.get("rows", [])
    _widths(ws, [header, *rows])
    ws.freeze_panes = "A2"
    if header and rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    _append(ws, header, font=BOLD, fill=HEADER_FILL)
    for row in rows:
        ws.append([_cell(ws, v) for v in row])


def render(p: dict) -> bytes:
    wb = Workbook(write_only=True)
    w = p["words"]
    taken: set[str] = set()
    _summary(wb.create_sheet(sheet_name(w["summary"], taken, "Summary")), p)
    for s in p["sections"]:
        for i, table in enumerate(s["tables"], start=1):
            name = sheet_name(table.get("title") or s["title"], taken, f"{s['number']}{i}")
            _detail(wb.create_sheet(name), table)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
