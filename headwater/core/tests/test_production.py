"""The production profile: what HEADWATER_PRODUCTION=true refuses and switches on, the deploy
check with the variables docs/deploy.md lists, and a quiet log for refused requests."""

import json
import logging
import secrets
import subprocess
import sys

from django.urls import reverse

PRINT_SETTINGS = (
    "import json; from django.conf import settings as s; import django; django.setup(); "
    "print(json.dumps({k: getattr(s, k, None) for k in ("
    "'DEBUG', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
    "'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE')}))"
)


def production_env(tmp_path, **extra) -> dict[str, str]:
    """The variables docs/deploy.md asks for in production (SQLite in a scratch directory)."""
    return {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "headwater.settings",
        "HEADWATER_VAR_DIR": str(tmp_path),
        "HEADWATER_PRODUCTION": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "hw.example.cn",
        "CSRF_TRUSTED_ORIGINS": "https://hw.example.cn",
        **extra,
    }


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True)


def test_production_profile_refuses_debug(tmp_path):
    result = run(["-c", "import headwater.settings"], production_env(tmp_path, DEBUG="true"))

    assert result.returncode == 1
    assert "DEBUG=true is refused when HEADWATER_PRODUCTION=true" in result.stderr


def test_production_profile_switches_on_https_and_hsts(tmp_path):
    result = run(["-c", PRINT_SETTINGS], production_env(tmp_path))

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }


def test_hsts_subdomains_and_redirect_can_be_switched_off(tmp_path):
    env = production_env(
        tmp_path,
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
    )

    values = json.loads(run(["-c", PRINT_SETTINGS], env).stdout)

    assert (
        values["SECURE_SSL_REDIRECT"],
        values["SECURE_HSTS_SECONDS"],
        values["SECURE_HSTS_INCLUDE_SUBDOMAINS"],
    ) == (False, 3600, False)


def test_deploy_check_with_the_documented_production_variables_prints_no_warning(tmp_path):
    result = run(
        ["-m", "headwater", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path),
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_a_403_writes_no_traceback_to_the_log(client, unit_head_user, caplog):
    client.force_login(unit_head_user)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("core:audit"))

    assert response.status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert [(r.levelname, r.getMessage()) for r in refusals] == [
        ("WARNING", "Forbidden (Permission denied): /core/audit/")
    ]
    assert refusals[0].exc_info is None
    assert "Traceback" not in caplog.text
