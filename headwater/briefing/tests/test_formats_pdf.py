"""The briefing as a PDF: A4, the Chinese (or English) text extractable, the CJK fonts
embedded, long tables whole, page numbers in the footer."""

import io
import re

from pypdf import PdfReader

from headwater.briefing import formats
from headwater.briefing.formats import layout, pdf
from headwater.briefing.tests import sample_docs


def _text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _fonts(reader: PdfReader) -> dict[str, bool]:
    """Every font the pages use: {base name without the subset tag: embedded?}."""
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            described = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = described["/FontDescriptor"].get_object()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            fonts[name] = any(key.startswith("/FontFile") for key in descriptor)
    return fonts


def test_the_pdf_is_an_a4_briefing_with_the_chinese_title_key_points_and_figures():
    doc = sample_docs.busy("zh-hans")

    data = formats.render(doc, "pdf")

    assert data.startswith(b"%PDF")
    reader, text = _text(data)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait
    flat = _flat(text)
    for expected in [
        "长沙水务集团疫情防控工作日报",
        "2026年第338期（第2版）",
        "疫情防控办公室",
        "统计日期：2026年12月3日",
        "响应级别：二级响应",
        "今日要点",
        *doc["key_points"],
        "本版变更（与上一版相比）",
        "供水二厂补报日报，按时报送单位由4个增至5个。",
        "一、员工健康打卡",
        "二、单位日报",
        "三、供水水质",
        "指标当日前日变化近7日",
        "打卡率97.0%96.5%▲0.5个百分点",
        "异常人数12人9人▲3人",
        "红码人数2人2人持平",
        "按时报送5个7个▼2个",
        "【异常】供水一厂张*0体温37.8℃，已安排复测",
        "【逾期】检测中心未按时报送日报",
        "【待决策】营销中心连续三日迟报，请研究是否约谈",
        "单位姓名体温",
        "机关本部张*637.9",
        "水质检测无超标。",
        "第1页/共2页",
        "第2页/共2页",
    ]:
        assert _flat(expected) in flat, expected
    assert "\ufffd" not in text


def test_the_pdf_embeds_the_noto_cjk_fonts_and_uses_no_other():
    reader, _ = _text(formats.render(sample_docs.busy("zh-hans"), "pdf"))

    fonts = _fonts(reader)

    # Only Noto CJK faces, all embedded: a glyph missing from them would have brought in a
    # fallback font (or a box) — none did.
    assert fonts == {
        "Noto-Serif-CJK-SC-Bold": True,
        "Noto-Serif-CJK-SC": True,
        "Noto-Sans-CJK-SC": True,
        "Noto-Sans-CJK-SC-Bold": True,
    }


def test_the_english_briefing_renders_in_english_with_the_same_layout():
    reader, text = _text(formats.render(sample_docs.busy("en"), "pdf"))

    flat = _flat(text)
    for expected in [
        "Changsha Water Group — Daily epidemic-prevention briefing",
        "No. 338 of 2026 (version 2)",
        "Day reported: 3 December 2026",
        "Key points of the day",
        "Check-in rate 97.0%, up 0.5 pp.",
        "Changes since the previous version",
        "1. Staff health check-in",
        "2. Unit daily reports",
        "IndicatorOn the dayDay beforeChangeLast 7 days",
        "Check-in rate97.0%96.5%▲0.5 pp",
        "[Overdue]Lab centre filed no report",
        "Page 1 of 2",
    ]:
        assert _flat(expected) in flat, expected
    assert "今日要点" not in text
    assert "\ufffd" not in text


def test_a_quiet_day_reads_as_a_zero_report():
    _, text = _text(formats.render(sample_docs.quiet("zh-hans"), "pdf"))

    flat = _flat(text)
    assert "2026年第338期零报告" in flat
    assert "全集团各单位疫情防控工作平稳，无异常情况。" in flat
    assert "全员健康打卡无异常。" in flat
    assert "水质检测无超标。" in flat
    assert "【" not in flat  # no exception flagged
    assert "本版变更" not in flat  # a first version has no changes
    assert "第1页/共1页" in flat


def test_a_long_table_is_shown_whole_with_its_header_on_every_page():
    doc = sample_docs.large("zh-hans", rows=500)

    reader, text = _text(formats.render(doc, "pdf"))

    flat = _flat(text)
    names = re.findall(r"员工(\d{4})", flat)
    assert sorted(set(names)) == [f"{i:04d}" for i in range(500)]
    assert len(reader.pages) >= 12
    # The table's header row is repeated on the pages it runs over.
    assert flat.count("单位姓名体温") >= len(reader.pages) - 2


def test_each_figure_has_its_trend_drawn_as_inline_svg():
    doc = sample_docs.busy("zh-hans")

    page = pdf.html(layout.prepare(doc))

    figures = sum(len(s["figures"]) for s in doc["sections"])
    assert page.count("<svg") == figures == 5
    assert "<polyline" in page


def test_the_page_footer_follows_the_words_of_the_language():
    assert pdf.page_content("第 %(page)s 页 / 共 %(pages)s 页") == (
        '"第 " counter(page) " 页 / 共 " counter(pages) " 页"'
    )
    assert pdf.page_content("Page %(page)s of %(pages)s") == (
        '"Page " counter(page) " of " counter(pages)'
    )
