"""The briefing as a Word document offices edit and forward: real headings (Title, Heading 1
and 2 styles), real tables with a repeated header row, the East-Asian fonts set on every
style (仿宋 body, 黑体 and 楷体 headings, 宋体 title and tables, as in a government work
briefing), the trend charts as small PNG pictures, page numbers in the footer."""

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from lxml.etree import SubElement

from headwater.briefing.formats import charts
from headwater.briefing.formats.layout import cell_text

RED = RGBColor(0xC0, 0x24, 0x2B)
GREEN = RGBColor(0x1F, 0x7A, 0x3A)
GREY = RGBColor(0x55, 0x55, 0x55)
BLACK = RGBColor(0, 0, 0)
TONES = {"good": GREEN, "bad": RED}
FLAG_FILL = {"overdue": "FDF0D5", "abnormal": "F9DCDC", "decision": "DDE8F7"}
FLAG_COLOUR = {
    "overdue": RGBColor(0x8A, 0x5A, 0x00),
    "abnormal": RGBColor(0xA3, 0x14, 0x1B),
    "decision": RGBColor(0x1D, 0x4F, 0x91),
}
LATIN = "Times New Roman"
W_P, W_PPR, W_PSTYLE, W_R, W_T, W_VAL = (
    qn(f"w:{t}") for t in ("p", "pPr", "pStyle", "r", "t", "val")
)
# Word refuses a file whose properties are out of the schema's order: new ones are put in
# their place (python-docx keeps these sequences private).
PPR_ORDER = tuple(
    f"w:{t}"
    for t in (
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
        "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
        "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
        "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
        "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ).split()
)
TCPR_AFTER_SHD = tuple(
    f"w:{t}" for t in "noWrap tcMar textDirection tcFitText vAlign hideMark".split()
)
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TEXT_WIDTH = Cm(16)


def _set_fonts(element, east_asia: str, latin: str = LATIN) -> None:
    """Fonts of a style's or a run's rPr: Latin and East-Asian, theme fonts removed (they
    would win over the names in Word)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attr, name in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east_asia)):
        fonts.set(qn(f"w:{attr}"), name)
    fonts.set(qn("w:hint"), "eastAsia")


def _style(doc, name: str, east_asia: str, size: float, *, bold=False, colour=BLACK, base=None):
    styles = doc.styles
    if name in [s.name for s in styles]:
        style = styles[name]
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base or "Normal"]
    _set_fonts(style.element, east_asia)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = colour
    return style


def _styles(doc) -> dict:
    normal = _style(doc, "Normal", "仿宋", 12)
    normal.paragraph_format.line_spacing = 1.3
    normal.paragraph_format.space_after = Pt(3)
    lang = normal.element.get_or_add_rPr()
    tag = OxmlElement("w:lang")
    tag.set(qn("w:val"), "en-US")
    tag.set(qn("w:eastAsia"), "zh-CN")
    lang.append(tag)
    title = _style(doc, "Title", "宋体", 22, bold=True, colour=RED)
    title_ppr = title.element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):
        title_ppr.remove(border)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(6)
    h1 = _style(doc, "Heading 1", "黑体", 14)
    h1.paragraph_format.space_before = Pt(12)
    h1.paragraph_format.space_after = Pt(4)
    h2 = _style(doc, "Heading 2", "楷体", 12, bold=True)
    h2.paragraph_format.space_before = Pt(6)
    h2.paragraph_format.space_after = Pt(2)
    cell = _style(doc, "Briefing Table Text", "宋体", 9.5)
    cell.paragraph_format.line_spacing = 1.0
    cell.paragraph_format.space_after = Pt(0)
    _style(doc, "List Number", "仿宋", 12)
    return {"cell": cell.style_id}


def _border_below(paragraph, size: int, colour: str = "C0242B") -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, value in (("val", "single"), ("sz", str(size)), ("space", "1"), ("color", colour)):
        bottom.set(qn(f"w:{attr}"), value)
    borders.append(bottom)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert_element_before(borders, *PPR_ORDER[PPR_ORDER.index("w:pBdr") + 1 :])


def _shading(fill: str):
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    return shd


def _shade_paragraph(paragraph, fill: str) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert_element_before(_shading(fill), *PPR_ORDER[PPR_ORDER.index("w:shd") + 1 :])


def _shade_cell(tc, fill: str) -> None:
    tcpr = tc.get_or_add_tcPr()
    tcpr.insert_element_before(_shading(fill), *TCPR_AFTER_SHD)


def _field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _footer(section, words: dict) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    template = words["page"]
    head, _, rest = template.partition("%(page)s")
    middle, _, tail = rest.partition("%(pages)s")
    for text, field in ((head, "PAGE"), (middle, "NUMPAGES"), (tail, None)):
        if text:
            run = paragraph.add_run(text)
            run.font.size = Pt(9)
        if field:
            _field(paragraph, field)


def _masthead(doc, p: dict) -> None:
    w = p["words"]
    doc.add_paragraph(p["title"], style="Title")
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.add_run(p["number_line"])
    if p.get("quiet"):
        zero = number.add_run(f"　{w['zero_report']}")
        zero.bold = True
        zero.font.color.rgb = GREEN
    issue = doc.add_paragraph()
    issue.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    issue.add_run(f"{p.get('issuer', '')}\t{p.get('issued_at', '')}")
    _border_below(issue, 18)
    meta = [f"{w['day']}{p['colon']}{p.get('day_text', '')}"]
    if p.get("level"):
        meta.append(f"{w['level']}{p['colon']}{p['level']}")
    run = doc.add_paragraph().add_run("　　".join(meta))
    run.font.size = Pt(10)
    run.font.color.rgb = GREY


def _header_row(table) -> None:
    row = table.rows[0]
    trpr = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for tc in row._tr.tc_lst:
        _shade_cell(tc, "E8EBF0")
        for run in _Cell(tc, table).paragraphs[0].runs:
            run.bold = True


def _fill(table, rows: list[list], style_id: str) -> None:
    """Cell texts, row by row, written into the XML: python-docx's `rows[i].cells` rebuilds
    the whole grid on each call and its `paragraph.style` looks the default style up each
    time, which made a 500-row table take seconds."""
    for tr, values in zip(table._tbl.tr_lst, rows, strict=False):
        for tc, value in zip(tr.tc_lst, values, strict=False):
            p = tc.find(W_P)
            SubElement(SubElement(p, W_PPR), W_PSTYLE).set(W_VAL, style_id)
            text = value if isinstance(value, str) else cell_text(value)
            if text:
                t = SubElement(SubElement(p, W_R), W_T)
                t.text = text
                if text != text.strip():
                    t.set(XML_SPACE, "preserve")


def _table(doc, header: list, rows: list[list], style):
    cols = max([len(header), *(len(row) for row in rows)], default=0)
    table = doc.add_table(rows=len(rows) + 1, cols=max(cols, 1))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fill(table, [header, *rows], style)
    _header_row(table)
    return table


def _figures(doc, section: dict, w: dict, style) -> None:
    header = [w["indicator"], w["value"], w["previous"], w["change"], w["trend"]]
    rows = [
        [f["label"], f["shown"], f["previous_shown"], f["change"], ""] for f in section["figures"]
    ]
    table = _table(doc, header, rows, style)
    for tr in table._tbl.tr_lst:
        cells = [_Cell(tc, table) for tc in tr.tc_lst]
        for cell in cells:
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
        for cell in cells[1:4]:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row, f in zip(table.rows[1:], section["figures"], strict=False):
        # Room for the picture: without it LibreOffice lets the picture cover the row above.
        row.height, row.height_rule = Cm(0.75), WD_ROW_HEIGHT_RULE.AT_LEAST
        cells = [_Cell(tc, table) for tc in row._tr.tc_lst]
        colour = TONES.get(f["tone"])
        if colour is not None:
            for run in cells[3].paragraphs[0].runs:
                run.font.color.rgb = colour
                run.bold = f["tone"] == "bad"
        png = charts.sparkline_png(f.get("trend") or [], f.get("better", ""))
        picture = cells[4].paragraphs[0]
        picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        picture.add_run().add_picture(io.BytesIO(png), width=Cm(2.2))


def _flag(doc, flag: dict) -> None:
    paragraph = doc.add_paragraph()
    _shade_paragraph(paragraph, FLAG_FILL.get(flag["kind"], "EEEEEE"))
    # 【异常】 closes itself; [Abnormal] needs a space before the text.
    tag = paragraph.add_run(flag["tag"] + ("" if flag["tag"].endswith("】") else " "))
    tag.bold = True
    tag.font.color.rgb = FLAG_COLOUR.get(flag["kind"], BLACK)
    paragraph.add_run(flag.get("text", ""))


def _section(doc, s: dict, w: dict, style) -> None:
    doc.add_heading(s["heading"], level=1)
    for line in s.get("lines", []):
        doc.add_paragraph(line).paragraph_format.first_line_indent = Pt(24)
    if s.get("quiet") and not s["flags"]:
        run = doc.add_paragraph().add_run(s["quiet"])
        run.font.color.rgb = GREEN
    for flag in s["flags"]:
        _flag(doc, flag)
    if s["figures"]:
        _figures(doc, s, w, style)
    for t in s["tables"]:
        if t.get("title"):
            doc.add_heading(t["title"], level=2)
        _table(doc, t.get("header", []), t.get("rows", []), style)


def render(p: dict) -> bytes:
    doc = Document()
    w = p["words"]
    styles = _styles(doc)
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)
    _footer(section, w)
    props = doc.core_properties
    props.title = f"{p.get('title', '')} {p.get('number', '')}"
    props.author = p.get("issuer", "")
    props.language = p.get("language", "")

    _masthead(doc, p)
    doc.add_heading(w["key_points"], level=1)
    for point in p.get("key_points", []):
        doc.add_paragraph(point, style="List Number")
    if p.get("changes"):
        doc.add_heading(w["changes"], level=1)
        for change in p["changes"]:
            doc.add_paragraph(change, style="List Bullet")
    for s in p["sections"]:
        _section(doc, s, w, styles["cell"])
    if p.get("link"):
        run = doc.add_paragraph().add_run(f"{w['link']}{p['colon']}{p['link']}")
        run.font.size = Pt(9)
        run.font.color.rgb = GREY
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
