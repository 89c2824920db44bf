import pytest
from django.core.exceptions import ValidationError

from headwater.core.validators import validate_id_number, validate_phone


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
