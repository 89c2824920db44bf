from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from headwater.core.validators import parse_temperature, validate_id_number, validate_phone


@pytest.mark.parametrize("value", ["13912345678", "0731-88888888", "073188888888", ""])
def test_valid_phones_pass(value):
    validate_phone(value)


@pytest.mark.parametrize("value", ["12912345678", "1391234567", "phone", "139123456789"])
def test_malformed_phones_are_refused(value):
    with pytest.raises(ValidationError):
        validate_phone(value)


@pytest.mark.parametrize("value", ["330784199001011231", "11010519491231002X", ""])
def test_valid_id_numbers_pass(value):
    validate_id_number(value)


@pytest.mark.parametrize("value", ["330784199001011230", "33078419900101123", "ABC"])
def test_id_numbers_with_a_wrong_check_digit_or_shape_are_refused(value):
    with pytest.raises(ValidationError):
        validate_id_number(value)


@pytest.mark.parametrize(("raw", "value"), [("34.0", "34.0"), (" 36.55 ", "36.6"), (42.5, "42.5")])
def test_a_body_temperature_inside_the_one_range_is_read_to_a_tenth(raw, value):
    assert parse_temperature(raw) == (Decimal(value), "")


@pytest.mark.parametrize("raw", ["33.9", "42.6", "45", "30.0"])
def test_a_body_temperature_outside_34_to_42_5_is_measured_again(raw):
    assert parse_temperature(raw) == (
        None,
        f"{Decimal(raw):.1f} °C 超出 34.0–42.5 °C 范围，请重新测量。",
    )


@pytest.mark.parametrize("raw", ["abc", "NaN", "", "Infinity"])
def test_a_body_temperature_that_is_not_a_number_says_so(raw):
    assert parse_temperature(raw) == (None, "请以数字填写体温，如 36.5。")
