"""The one entry point: `render(doc, fmt)`."""

import copy
import io
import time

import docx
import openpyxl
import pytest
from django.utils import translation
from pypdf import PdfReader

from headwater.briefing import formats
from headwater.briefing.formats import layout
from headwater.briefing.tests import sample_docs


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="'doc'"):
        formats.render(sample_docs.busy(), "doc")


def test_each_format_has_its_content_type_and_extension():
    assert formats.CONTENT_TYPES == {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    assert formats.EXTENSIONS == {"pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx"}


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_rendering_leaves_the_stored_document_as_it_was(fmt):
    doc = sample_docs.busy()
    before = copy.deepcopy(doc)

    formats.render(doc, fmt)

    assert doc == before


def test_the_document_language_wins_over_the_active_language():
    with translation.override("en"):
        prepared = layout.prepare(sample_docs.busy("zh-hans"))
        assert prepared["words"]["key_points"] == "Key points of the day"  # not inside render
        data = formats.render(sample_docs.busy("zh-hans"), "xlsx")
        assert translation.get_language() == "en"

    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames[0] == "概要"


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "一、"), (9, "九、"), (10, "十、"), (12, "十二、"), (20, "二十、"), (35, "三十五、")],
)
def test_sections_are_numbered_in_chinese(n, text):
    assert layout.section_number(n, "zh-hans") == text


def test_sections_are_numbered_in_figures_in_english():
    assert layout.section_number(3, "en") == "3. "


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        (
            {"value": 97.0, "previous": 96.5, "text": "97.0", "unit": "%", "better": "up"},
            ("▲0.5个百分点", "good"),
        ),
        (
            {"value": 12, "previous": 9, "text": "12", "unit": "人", "better": "down"},
            ("▲3人", "bad"),
        ),
        ({"value": 5, "previous": 7, "text": "5", "unit": "", "better": ""}, ("▼2", "flat")),
        (
            {"value": 2, "previous": 2, "text": "2", "unit": "人", "better": "down"},
            ("持平", "flat"),
        ),
        (
            {"value": 2, "previous": None, "text": "2", "unit": "人", "better": "down"},
            ("—", "flat"),
        ),
        (
            {"value": 1500, "previous": 200, "text": "1,500", "unit": "", "better": "up"},
            ("▲1,300", "good"),
        ),
    ],
)
def test_the_change_from_the_day_before(figure, expected):
    with translation.override("zh-hans"):
        assert layout.change(figure, layout.words()) == expected


def test_ten_sections_and_a_500_row_table_render_in_all_formats_in_a_few_seconds():
    doc = sample_docs.large("zh-hans", rows=500, sections=10)
    formats.render(sample_docs.quiet(), "pdf")  # fonts loaded once per process
    took = {}

    for fmt in ("pdf", "docx", "xlsx"):
        start = time.process_time()
        formats.render(doc, fmt)
        took[fmt] = time.process_time() - start

    print("briefing formats, CPU seconds:", {k: round(v, 2) for k, v in took.items()})
    # The aim is under 3 s together on an idle machine; the bound leaves room for a busy one.
    assert sum(took.values()) < 8


def test_control_characters_in_the_text_are_dropped_in_every_format():
    doc = sample_docs.busy()
    doc["key_points"][0] = "员工打卡率\x0b97.0%\x00。"
    doc["sections"][0]["tables"][0]["rows"][0][0] = "供水\x1f一厂"

    files = {fmt: formats.render(doc, fmt) for fmt in ("pdf", "docx", "xlsx")}

    word = docx.Document(io.BytesIO(files["docx"]))
    assert "员工打卡率97.0%。" in [p.text for p in word.paragraphs]
    assert word.tables[1].rows[1].cells[0].text == "供水一厂"
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    assert book["异常人员"]["A2"].value == "供水一厂"
    assert files["pdf"].startswith(b"%PDF")


def test_markup_in_the_text_is_shown_as_text_and_nothing_is_fetched():
    doc = sample_docs.quiet()
    doc["key_points"] = ['<img src="http://127.0.0.1:9/x.png"> 无异常']

    data = formats.render(doc, "pdf")

    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert '<img src="http://127.0.0.1:9/x.png"> 无异常' in text


def test_table_cells_keep_their_numbers_as_they_are():
    assert layout.cell_text(12345) == "12,345"
    assert layout.cell_text(0.005) == "0.005"
    assert layout.cell_text(37.85) == "37.85"
    assert layout.cell_text(None) == ""
    assert layout.cell_text("张*0") == "张*0"


def test_a_download_is_named_by_the_title_and_issue_in_the_document_language():
    assert formats.filename(sample_docs.busy("zh-hans"), "pdf") == (
        "长沙水务集团疫情防控工作日报 2026年第338期（第2版）.pdf",
        "briefing-2026-12-03-v2.pdf",
    )
    assert formats.filename(sample_docs.quiet("en"), "docx") == (
        "Changsha Water Group — Daily epidemic-prevention briefing No. 338 of 2026.docx",
        "briefing-2026-12-03.docx",
    )
    doc = sample_docs.quiet()
    doc["title"] = '水务/集团:"日报"'
    assert formats.filename(doc, "xlsx")[0] == "水务 集团 日报 2026年第338期.xlsx"
    with pytest.raises(ValueError):
        formats.filename(doc, "exe")
