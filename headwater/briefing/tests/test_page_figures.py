"""The page's figure helpers: the change against the day before, coloured by the figure's
better direction, and the trend drawn as an inline SVG with gaps for days without data."""

from headwater.briefing.templatetags.briefing import change, section_number, sparkline


def figure(value, previous, better="up", text=None):
    return {"value": value, "previous": previous, "better": better, "text": text or str(value)}


def test_a_fall_in_a_figure_that_should_rise_is_bad():
    assert change(figure(95.0, 97.5, "up", "95.0")) == {"text": "−2.5", "tone": "bad"}


def test_a_fall_in_a_figure_that_should_fall_is_good():
    assert change(figure(3, 5, "down")) == {"text": "−2", "tone": "good"}


def test_a_figure_without_a_direction_has_no_tone_and_none_without_the_day_before():
    assert change(figure(1200, 1000, "")) == {"text": "+200", "tone": ""}
    assert change(figure(5, None)) == {"text": "", "tone": ""}
    assert change(figure(5, 5)) == {"text": "持平", "tone": ""}


def test_the_trend_is_a_line_broken_where_a_day_had_no_data():
    svg = sparkline([1, 2, None, 4, 3])

    assert svg.count("<polyline") == 2
    assert 'points="2.0,22.0 22.0,15.3"' in svg
    assert 'points="62.0,2.0 82.0,8.7"' in svg
    assert '<circle class="spark-dot" cx="82.0" cy="8.7" r="2"/>' in svg
    assert "style=" not in svg


def test_a_flat_trend_runs_through_the_middle_and_one_value_draws_nothing():
    assert 'points="2.0,12.0 42.0,12.0 82.0,12.0"' in sparkline([7, 7, 7])
    assert sparkline([None, 3]) == ""


def test_sections_are_numbered_in_chinese_or_in_figures():
    numbers = [section_number(n, "zh-hans") for n in (1, 2, 10, 11, 20, 23)]
    assert numbers == ["一、", "二、", "十、", "十一、", "二十、", "二十三、"]
    assert section_number(2, "en") == "2. "
