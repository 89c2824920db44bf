import pytest
from django.core.exceptions import ImproperlyConfigured

from headwater.env import env_bool, env_int, env_list


def test_env_helpers_read_typed_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "4")
    monkeypatch.setenv("X_LIST", "a.example, b.example")
    assert (env_bool("X_BOOL"), env_int("X_INT", 1), env_list("X_LIST")) == (
        True,
        4,
        ["a.example", "b.example"],
    )


@pytest.mark.parametrize(("fn", "raw"), [(env_bool, "maybe"), (env_int, "four")])
def test_env_helpers_fail_loudly_on_a_bad_value(monkeypatch, fn, raw):
    monkeypatch.setenv("X_BAD", raw)
    with pytest.raises(ImproperlyConfigured):
        fn("X_BAD", 0) if fn is env_int else fn("X_BAD")


def test_production_profile_refuses_to_start_without_a_secret_key():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import headwater.settings"],
        env={"HEADWATER_PRODUCTION": "true", "ALLOWED_HOSTS": "hw.example", "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "SECRET_KEY must be set" in result.stderr
