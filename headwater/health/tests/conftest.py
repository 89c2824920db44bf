import pytest
from django.conf import settings

from headwater.core.tests.factories import make_user
from headwater.core.tests.timing import at  # noqa: F401 (re-exported)

# `at` is imported from here by the tests; the clock_at fixture comes from the root conftest.


@pytest.fixture
def operator_user(people):
    """The staff member 李操作 (shift A of plant 1) as a login."""
    return make_user("li", person=people["operator"], roles=[("staff", None)])


NORMAL = {"temperature": "36.5", "whereabouts": "at_work"}


@pytest.fixture
def english(client):
    """Pages in English (the language cookie), so that messages are the msgids."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def office(english, office_user):
    english.force_login(office_user)
    return english
