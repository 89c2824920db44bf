"""Fuzzing the API (issue 9): every operation of /api/v1/openapi.json, as the office, a unit
head and a staff member, with inputs schemathesis derives from the document. No answer may be
a 5xx, and every answer must match what the document declares for its status.

Bounded so the suite stays within its budget: a few examples an operation, derandomized so a
failure is reproducible. The requests go through Django's WSGI app in this process, inside the
test's transaction; the network is cut off (a robot test would otherwise POST to a generated
URL)."""

import socket

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

EXAMPLES = 3


# Loading the document reads no database: it can be done once, when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture(autouse=True)
def connection_kept_open():
    """Django's WSGI handler closes the database connection after each request, which on
    PostgreSQL would end the test's transaction; its test client keeps it open the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no network in the fuzz test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def sessions(office_user, unit_head_user, staff_user):
    """A logged-in session of each standard user, with its CSRF token as a browser sends it."""
    found = []
    for user in (office_user, unit_head_user, staff_user):
        client = Client()
        client.force_login(user)
        token = _get_new_csrf_string()
        cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}
        found.append((user.username, cookies, {"X-CSRFToken": token}))
    return found


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error_or_off_its_document(case, sessions):
    for _username, cookies, headers in sessions:
        response = case.call(cookies=cookies, headers=headers)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
