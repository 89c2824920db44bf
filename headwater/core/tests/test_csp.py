"""The Content-Security-Policy header (ADR 0009): on pages, on the API and on refusals, in the
development and the production profile, with a report address when one is configured."""

import json

from headwater.core.tests.test_production import production_env, run

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# A request through the whole stack in a fresh process, printing the status and the policy.
# (In production the pages need collected static files; the API's refusal needs nothing.)
POLICY_OF = (
    "import django, json; django.setup(); from django.test import Client; "
    "r = Client().get('{}', HTTP_HOST='hw.example.cn', secure=True); "
    "print(json.dumps([r.status_code, r.get('Content-Security-Policy')]))"
).format


def directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_a_page_carries_the_strict_policy(client, office_user):
    client.force_login(office_user)
    response = client.get("/health/overview/")
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY


def test_the_api_and_its_refusals_carry_the_policy(client, db):
    answers = [client.get("/api/v1/openapi.json"), client.get("/api/v1/people")]
    assert [a.status_code for a in answers] == [200, 401]
    assert [directives(a["Content-Security-Policy"]) for a in answers] == [POLICY, POLICY]


def test_the_production_profile_sends_the_policy(tmp_path):
    result = run(["-c", POLICY_OF("/api/v1/people")], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    status, header = json.loads(result.stdout)
    assert status == 401
    assert directives(header) == POLICY


def test_a_report_address_from_the_environment_is_added(tmp_path):
    env = production_env(tmp_path, CSP_REPORT_URI="https://csp.example.cn/report")
    result = run(["-c", POLICY_OF("/api/v1/people")], env)
    assert result.returncode == 0, result.stderr
    _, header = json.loads(result.stdout)
    assert directives(header) == {**POLICY, "report-uri": "https://csp.example.cn/report"}


def test_the_development_profile_has_the_same_policy(tmp_path):
    env = {k: v for k, v in production_env(tmp_path).items() if k != "HEADWATER_PRODUCTION"}
    result = run(["-c", POLICY_OF("/login/")], {**env, "ALLOWED_HOSTS": "hw.example.cn"})
    assert result.returncode == 0, result.stderr
    status, header = json.loads(result.stdout)
    assert status == 200
    assert directives(header) == POLICY
