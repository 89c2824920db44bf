"""The routes the scope sweep requests (core/tests/test_scope_sweep.py): pages from walking the
URL resolver, API operations from the API's OpenAPI schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from headwater.api import api
from headwater.core.tests.sweep_params import SKIPPED_NAMES, SKIPPED_PREFIXES

# --- The routes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str  # "core:person", or the route itself when the pattern has no name
    route: str  # "core/people/<int:pk>/"
    params: tuple[str, ...]
    named: bool


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # "/api/v1/people/{person_id}"
    path_params: tuple[str, ...]
    query: tuple[tuple[str, bool, dict], ...]  # (name, required, schema)
    body: tuple[str, dict] | None  # (content type, schema)

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


SCHEMA = api.get_openapi_schema()
COMPONENTS = SCHEMA.get("components", {}).get("schemas", {})


def _walk(resolver, prefix="", namespace=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            yield from _walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield prefix + str(p.pattern), name, p


def _is_api_operation(route: str, name: str | None) -> bool:
    """Operations of the NinjaAPI are swept from its schema; its root and docs are pages."""
    return (
        name is not None
        and name.startswith(f"{api.urls_namespace}:")
        and not name.endswith(("openapi-json", "openapi-view", "api-root"))
    )


def _skipped(route: str, name: str | None) -> bool:
    return name in SKIPPED_NAMES or route.startswith(tuple(SKIPPED_PREFIXES))


def page_routes() -> list[Page]:
    pages = {}
    for route, name, pattern in _walk(get_resolver()):
        if _skipped(route, name) or _is_api_operation(route, name):
            continue
        params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
        if not hasattr(pattern.pattern, "_route"):
            params = tuple(pattern.pattern.regex.groupindex) or ("<regex>",)
        pages[route] = Page(name or route, route, params, named=name is not None)
    return sorted(pages.values(), key=lambda p: p.route)


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].split("/")[-1]]
    return schema


def api_operations() -> list[Operation]:
    ops = []
    for path, methods in SCHEMA["paths"].items():
        for method, op in methods.items():
            params = op.get("parameters", [])
            body = None
            if "requestBody" in op:
                content_type, content = next(iter(op["requestBody"]["content"].items()))
                body = (content_type, _resolve(content["schema"]))
            ops.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    path_params=tuple(p["name"] for p in params if p["in"] == "path"),
                    query=tuple(
                        (p["name"], bool(p.get("required")), p.get("schema", {}))
                        for p in params
                        if p["in"] == "query"
                    ),
                    body=body,
                )
            )
    return sorted(ops, key=lambda o: o.key)


PAGES = page_routes()
OPERATIONS = api_operations()
