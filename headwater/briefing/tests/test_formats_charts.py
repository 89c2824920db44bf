"""The 7-day sparklines, as SVG (PDF, web page) and PNG (Word)."""

import io
import os
import subprocess
import sys

from PIL import Image

from headwater.briefing.formats import charts


def test_a_gap_in_the_trend_breaks_the_line():
    svg = charts.sparkline_svg([1, 2, None, 4, 5, 6, 7], "up")

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="sparkline"')
    assert svg.count("<polyline") == 2
    assert svg.endswith("</svg>")


def test_a_lone_value_between_gaps_is_a_dot():
    svg = charts.sparkline_svg([None, 3, None, 4, 5, None, None], "")

    assert svg.count("<polyline") == 1
    assert svg.count("<circle") == 1  # the lone 3; the last day has no value, so no end mark


def test_no_data_at_all_draws_an_empty_box():
    svg = charts.sparkline_svg([None] * 7, "up")

    assert "<polyline" not in svg and "<circle" not in svg


def test_the_last_point_says_whether_the_day_went_the_good_or_the_bad_way():
    assert charts.end_colour([1, 2], "up") == charts.GOOD
    assert charts.end_colour([2, 1], "up") == charts.BAD
    assert charts.end_colour([2, 1], "down") == charts.GOOD
    assert charts.end_colour([1, 2], "down") == charts.BAD
    assert charts.end_colour([2, 2], "up") == charts.FLAT
    assert charts.end_colour([1, 2], "") == charts.FLAT
    assert charts.end_colour([None, 2], "up") == charts.FLAT
    assert f'fill="{charts.BAD}"' in charts.sparkline_svg([1, 5, 3], "up")


def test_a_flat_trend_is_drawn_across_the_middle():
    svg = charts.sparkline_svg([100.0] * 7, "up", width=80, height=20)

    assert 'points="2.5,10.0 15.0,10.0' in svg


def test_the_label_is_escaped():
    svg = charts.sparkline_svg([1, 2], "up", label='打卡率 "7日" <趋势>')

    assert 'aria-label="打卡率 &quot;7日&quot; &lt;趋势&gt;"' in svg


def test_the_png_is_twice_the_nominal_size_and_has_a_line():
    png = charts.sparkline_png([95.1, 96.0, None, 97.3, 96.8, 96.5, 97.0], "up")

    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (160, 40)
    colours = {colour for _, colour in image.getcolors(maxcolors=100_000)}
    assert len(colours) > 2  # not a blank picture


def test_charts_need_no_django_settings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "from headwater.briefing.formats import charts;"
        "print(charts.sparkline_svg([1, None, 3], 'up')[:4], len(charts.sparkline_png([1, 2])))"
    )

    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("<svg ")
