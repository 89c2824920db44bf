"""The briefing as a Word file: real headings, real tables with a header row, the
East-Asian fonts set, the trend charts as pictures, page numbers in the footer."""

import io

import docx
from docx.oxml.ns import qn

from headwater.briefing import formats
from headwater.briefing.tests import sample_docs


def _open(doc: dict):
    return docx.Document(io.BytesIO(formats.render(doc, "docx")))


def _headings(document) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name in ("Title", "Heading 1", "Heading 2")
    ]


def _rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_word_file_has_the_title_and_numbered_sections_as_headings():
    document = _open(sample_docs.busy("zh-hans"))

    assert _headings(document) == [
        ("Title", "长沙水务集团疫情防控工作日报"),
        ("Heading 1", "今日要点"),
        ("Heading 1", "本版变更（与上一版相比）"),
        ("Heading 1", "一、员工健康打卡"),
        ("Heading 2", "异常人员"),
        ("Heading 1", "二、单位日报"),
        ("Heading 2", "报送情况"),
        ("Heading 1", "三、供水水质"),
    ]
    texts = [p.text for p in document.paragraphs]
    assert texts[1] == "2026年第338期（第2版）"
    assert texts[2] == "疫情防控办公室\t2026-12-04 08:30"
    points = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert points == sample_docs.busy("zh-hans")["key_points"]
    assert "【逾期】检测中心未按时报送日报" in texts
    assert "【待决策】营销中心连续三日迟报，请研究是否约谈" in texts


def test_the_figures_and_each_detail_table_are_word_tables_with_a_header_row():
    doc = sample_docs.busy("zh-hans")

    document = _open(doc)

    assert len(document.tables) == 5  # figures + table for health and reports, figures for quality
    health_figures, abnormal, report_figures, filings, quality_figures = document.tables
    assert _rows(health_figures) == [
        ["指标", "当日", "前日", "变化", "近7日"],
        ["打卡率", "97.0%", "96.5%", "▲0.5个百分点", ""],
        ["异常人数", "12人", "9人", "▲3人", ""],
        ["红码人数", "2人", "2人", "持平", ""],
    ]
    assert _rows(report_figures) == [
        ["指标", "当日", "前日", "变化", "近7日"],
        ["按时报送", "5个", "7个", "▼2个", ""],
    ]
    assert _rows(quality_figures)[1] == ["水质合格率", "100.0%", "100.0%", "持平", ""]
    assert _rows(abnormal) == [
        ["单位", "姓名", "体温"],
        *doc["sections"][0]["tables"][0]["rows"],
    ]
    assert _rows(filings)[0] == ["单位", "状态", "报送时间"]
    assert _rows(filings)[-1] == ["检测中心", "未报", ""]  # None is an empty cell
    for table in document.tables:
        header = table.rows[0]._tr
        assert header.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None  # repeats
        assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)


def test_each_trend_is_a_small_picture_beside_its_figure():
    document = _open(sample_docs.busy("zh-hans"))

    assert len(document.inline_shapes) == 5
    first_trend = document.tables[0].rows[1].cells[4]
    assert first_trend._tc.xpath(".//pic:pic")


def test_chinese_fonts_are_set_on_the_styles_word_uses():
    document = _open(sample_docs.busy("zh-hans"))

    def east_asia(style_name):
        fonts = document.styles[style_name].element.rPr.find(qn("w:rFonts"))
        return fonts.get(qn("w:eastAsia")), fonts.get(qn("w:asciiTheme"))

    assert east_asia("Normal") == ("仿宋", None)
    assert east_asia("Title") == ("宋体", None)
    assert east_asia("Heading 1") == ("黑体", None)
    assert east_asia("Heading 2") == ("楷体", None)
    assert east_asia("Briefing Table Text") == ("宋体", None)


def test_the_footer_numbers_the_pages():
    document = _open(sample_docs.busy("zh-hans"))

    footer = document.sections[0].footer.paragraphs[0]
    fields = [f.get(qn("w:instr")) for f in footer._p.findall(qn("w:fldSimple"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert [r.text for r in footer.runs] == ["第 ", " 页 / 共 ", " 页"]


def test_the_english_word_file_is_in_english():
    document = _open(sample_docs.busy("en"))

    assert [text for _, text in _headings(document)][:4] == [
        "Changsha Water Group — Daily epidemic-prevention briefing",
        "Key points of the day",
        "Changes since the previous version",
        "1. Staff health check-in",
    ]
    assert _rows(document.tables[0])[:2] == [
        ["Indicator", "On the day", "Day before", "Change", "Last 7 days"],
        ["Check-in rate", "97.0%", "96.5%", "▲0.5 pp", ""],
    ]
    assert "[Overdue] Lab centre filed no report" in [p.text for p in document.paragraphs]


def test_a_quiet_day_word_file_is_a_zero_report():
    document = _open(sample_docs.quiet("zh-hans"))

    texts = [p.text for p in document.paragraphs]
    assert texts[1] == "2026年第338期　零报告"
    assert "全员健康打卡无异常。" in texts
    assert not any(t.startswith("【") for t in texts)
    assert "本版变更（与上一版相比）" not in texts


def test_a_long_table_is_whole_in_the_word_file():
    document = _open(sample_docs.large("zh-hans", rows=500))

    long_table = document.tables[1]
    assert len(long_table.rows) == 501
    assert _rows(long_table)[-1] == ["供水三厂", "员工0499", "37.6"]
