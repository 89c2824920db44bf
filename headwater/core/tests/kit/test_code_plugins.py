"""The health-code plug-ins of core: facts providers and the current-code read."""

import datetime as dt

import pytest

from headwater.core import codes


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(codes, "PROVIDERS", [])
    monkeypatch.setattr(codes, "_reader", None)
    monkeypatch.setattr(codes, "_recomputer", None)


def test_provided_facts_merge_every_provider_and_keep_only_declared_facts(clean_registry):
    @codes.facts_provider(codes.Fact("in_isolation", "In isolation"))
    def isolation(person_ids, day):
        return {1: {"in_isolation": True, "fever": True}, 99: {"in_isolation": True}}

    @codes.facts_provider(codes.Fact("days_since_positive", "Days since positive", "int"))
    def testing(person_ids, day):
        return {2: {"days_since_positive": 3}}

    facts = codes.provided_facts([1, 2, 3], dt.date(2026, 12, 3))

    assert facts == {1: {"in_isolation": True}, 2: {"days_since_positive": 3}, 3: {}}
    assert [f.name for f in codes.declared_facts()] == ["in_isolation", "days_since_positive"]


def test_current_code_is_none_until_a_reader_is_registered(clean_registry):
    assert codes.current(1) is None
    assert codes.current_many([1, 2]) == {}


def test_current_code_comes_from_the_registered_reader(clean_registry):
    view = codes.CodeView(7, "red", "红码", "发热", dt.datetime(2026, 12, 3, 8), None, "danger")
    codes.register_reader(lambda ids: {7: view} if 7 in ids else {})

    assert codes.current(7) == view
    assert codes.current(8) is None
    assert view.is_green is False


def test_recompute_calls_the_registered_recomputer(clean_registry):
    seen = []
    codes.register_recomputer(seen.append)

    codes.recompute("person")

    assert seen == ["person"]
