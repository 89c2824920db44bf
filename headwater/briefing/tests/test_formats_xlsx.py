"""The briefing as an Excel workbook: a summary sheet and one sheet per detail table."""

import io

import openpyxl

from headwater.briefing import formats
from headwater.briefing.formats.excel import sheet_name
from headwater.briefing.tests import sample_docs


def _open(doc: dict):
    return openpyxl.load_workbook(io.BytesIO(formats.render(doc, "xlsx")))


def _values(ws) -> list[tuple]:
    """The sheet's rows without their trailing empty cells."""
    rows = []
    for row in ws.iter_rows(values_only=True):
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        rows.append(tuple(row))
    return rows


def test_the_summary_sheet_holds_the_issue_key_points_figures_and_exceptions():
    book = _open(sample_docs.busy("zh-hans"))

    assert book.sheetnames == ["概要", "异常人员", "报送情况"]
    summary = book["概要"]
    assert _values(summary) == [
        ("长沙水务集团疫情防控工作日报",),
        ("2026年第338期（第2版）",),
        ("统计日期", "2026年12月3日"),
        ("编发单位", "疫情防控办公室"),
        ("印发时间", "2026-12-04 08:30"),
        ("响应级别", "二级响应"),
        ("版本", 2),
        ("网页版", "https://headwater.example/briefings/338/"),
        (),
        ("今日要点",),
        (1, "员工打卡率97.0%，较前日上升0.5个百分点。"),
        (2, "异常人员12人，较前日增加3人，其中红码2人。"),
        (3, "检测中心未按时报送日报。"),
        (4, "营销中心连续三日迟报，需研究决定。"),
        (),
        ("本版变更（与上一版相比）",),
        (1, "供水二厂补报日报，按时报送单位由4个增至5个。"),
        (),
        ("主要指标",),
        ("板块", "指标", "当日", "前日", "变化", "单位"),
        ("员工健康打卡", "打卡率", 97, 96.5, 0.5, "%"),
        ("员工健康打卡", "异常人数", 12, 9, 3, "人"),
        ("员工健康打卡", "红码人数", 2, 2, 0, "人"),
        ("单位日报", "按时报送", 5, 7, -2, "个"),
        ("供水水质", "水质合格率", 100, 100, 0, "%"),
        (),
        ("异常事项",),
        ("板块", "类别", "内容"),
        ("员工健康打卡", "异常", "供水一厂张*0体温37.8℃，已安排复测"),
        ("单位日报", "逾期", "检测中心未按时报送日报"),
        ("单位日报", "待决策", "营销中心连续三日迟报，请研究是否约谈"),
    ]
    assert summary["A1"].font.bold
    assert summary["C21"].number_format == "#,##0.0"  # the rate keeps its decimal
    assert summary["E24"].number_format == "+#,##0;-#,##0;0"


def test_each_detail_table_is_a_sheet_with_a_bold_frozen_header():
    doc = sample_docs.busy("zh-hans")

    book = _open(doc)

    abnormal = book["异常人员"]
    assert _values(abnormal) == [
        ("单位", "姓名", "体温"),
        *map(tuple, doc["sections"][0]["tables"][0]["rows"]),
    ]
    filings = book["报送情况"]
    assert _values(filings)[-1] == ("检测中心", "未报")
    for sheet in (abnormal, filings):
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.column_dimensions["A"].width == 10  # 4 CJK characters + 2
    assert abnormal.auto_filter.ref == "A1:C13"


def test_a_500_row_table_is_whole_in_its_sheet():
    book = _open(sample_docs.large("zh-hans", rows=500))

    sheet = book[book.sheetnames[1]]
    assert sheet.max_row == 501
    assert _values(sheet)[-1] == ("供水三厂", "员工0499", "37.6")


def test_the_english_workbook_is_in_english():
    book = _open(sample_docs.busy("en"))

    assert book.sheetnames == ["Summary", "Abnormal staff", "Filings"]
    rows = _values(book["Summary"])
    assert rows[2] == ("Day reported", "3 December 2026")
    assert ("Section", "Indicator", "On the day", "Day before", "Change", "Unit") in rows


def test_a_quiet_day_workbook_says_zero_report_and_has_no_detail_sheets():
    book = _open(sample_docs.quiet("zh-hans"))

    assert book.sheetnames == ["概要"]
    rows = _values(book["概要"])
    assert ("零报告",) in rows
    assert ("异常事项",) not in rows


def test_a_cell_that_looks_like_a_formula_stays_text():
    doc = sample_docs.busy("zh-hans")
    doc["sections"][0]["tables"][0]["rows"][0][1] = '=HYPERLINK("x")'

    book = _open(doc)

    cell = book["异常人员"]["B2"]
    assert cell.value == '=HYPERLINK("x")'
    assert cell.data_type == "s"


def test_sheet_names_are_what_excel_accepts():
    taken: set[str] = set()

    assert sheet_name("异常人员", taken, "x") == "异常人员"
    assert sheet_name("异常人员", taken, "x") == "异常人员 (2)"
    assert sheet_name("a/b:c*d?e[f]g\\h", taken, "x") == "a b c d e f g h"
    assert sheet_name("'quoted'", taken, "x") == "quoted"
    assert sheet_name("", taken, "Table 1") == "Table 1"
    long = "很长的表格标题" * 6
    assert sheet_name(long, taken, "x") == long[:31]
    assert sheet_name(long, taken, "x") == long[:27] + " (2)"
    assert sheet_name("history", taken, "x") == "history (2)"  # Excel reserves History
    assert all(len(name) <= 31 for name in taken)
