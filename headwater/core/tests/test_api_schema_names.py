"""The OpenAPI document names each schema by its class name: two schemas of one name (a
`CountsOut` in isolation and another in testing) would share one entry, and one endpoint would
be documented with the other's fields (the fuzzer caught isolation's counts checked against
testing's). Every schema class of the API must have a name of its own."""

from collections import defaultdict

from ninja import Schema

import headwater.api  # noqa: F401 (loads every router and its schemas)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_api_schema_class_has_a_name_of_its_own():
    places = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("headwater."):
            places[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    shared = {name: sorted(where) for name, where in places.items() if len(where) > 1}
    assert shared == {}


def test_the_openapi_document_describes_isolation_counts_with_its_own_fields():
    schema = headwater.api.api.get_openapi_schema()
    responses = schema["paths"]["/api/v1/isolation/cases/counts"]["get"]["responses"]
    ref = responses[200]
    name = ref["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    fields = set(schema["components"]["schemas"][name]["properties"])
    assert fields == {"current", "new_today", "released_today", "overdue"}
