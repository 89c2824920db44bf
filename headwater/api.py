"""The one JSON API (v1): each app mounts its router here. The error shape is defined here too:

    {"error": {"code": "validation_error", "message": "…", "fields": {"phone": "…"}}}

Messages follow the request's language (Accept-Language or the language cookie).
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from headwater.access.api import router as access_router
from headwater.alerts.api import router as alerts_router
from headwater.briefing.api import router as briefing_router
from headwater.core.api import router as core_router
from headwater.core.api_grants import router as grants_router
from headwater.core.api_household import router as household_router
from headwater.core.api_logins import router as logins_router
from headwater.core.api_roster import router as roster_router
from headwater.core.api_screen import router as screen_router
from headwater.core.apiauth import DeviceTokenAuth, SessionAuth
from headwater.core.errors import DomainError
from headwater.duty.api import router as duty_router
from headwater.health.api import router as health_router
from headwater.health.api_household import router as health_household_router
from headwater.isolation.api import router as isolation_router
from headwater.network.api import router as network_router
from headwater.notices.api import router as notices_router
from headwater.quality.api import router as quality_router
from headwater.quality.api_reports import router as quality_reports_router
from headwater.testing.api import router as testing_router

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        }
    },
}
ERRORS = {
    "400": "The request was refused: `error.fields` names each bad field.",
    "401": "Not logged in, and no valid device token.",
    "403": "The caller's role may not do this (`forbidden`), or a logged-in session sent no "
    "valid CSRF token (`csrf_failed`).",
    "404": "Not found, or outside the caller's scope.",
    "409": "The record changed or exists already.",
    "413": "The request body is over the size limit.",
    "422": "The request does not match this operation's parameters or body.",
}


class HeadwaterAPI(NinjaAPI):
    """The OpenAPI document declares, on every operation, the error answers in the one error
    shape (ninja documents only the answers a route names), so a client and the fuzz test
    (core/tests/test_api_fuzz.py) can hold every answer to the document."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                for status, description in ERRORS.items():
                    if status in ("409", "413") and method == "get":
                        continue
                    operation["responses"].setdefault(status, {"description": description, **ref})
        return schema


api = HeadwaterAPI(
    title="Headwater API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    auth=[SessionAuth(), DeviceTokenAuth()],
)


def error_response(request, status: int, code: str, message: str, fields=None):
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return api.create_response(request, body, status=status)


_PYDANTIC_MESSAGES = {
    "missing": lambda: _("This field is required."),
    "string_too_long": lambda: _("This value is too long."),
    "string_too_short": lambda: _("This field is required."),
}


def _field_message(err: dict) -> str:
    known = _PYDANTIC_MESSAGES.get(err.get("type", ""))
    if known:
        return known()
    if err.get("type") == "value_error" and err.get("ctx", {}).get("error"):
        return str(err["ctx"]["error"])
    return _("Enter a valid value.")


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    fields = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        fields[".".join(loc) or "__all__"] = _field_message(err)
    return error_response(
        request, 422, "validation_error", _("Please correct the marked fields."), fields
    )


@api.exception_handler(RequestDataTooBig)
def on_too_large(request, exc):
    return error_response(request, 413, "too_large", _("The request is too large."))


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return error_response(request, exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return error_response(
        request, 401, "unauthenticated", _("Log in, or send a valid device token.")
    )


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return error_response(request, 403, "forbidden", _("Your role may not do this."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, "not_found", _("Not found."))


@api.exception_handler(ObjectDoesNotExist)
def on_does_not_exist(request, exc):
    return error_response(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return error_response(request, exc.status_code, f"http_{exc.status_code}", str(exc))


# Before core: its /people/{person_id} would otherwise also match /people/import and /export.
api.add_router("/", roster_router)
api.add_router("/", logins_router)
api.add_router("/", core_router)
api.add_router("/", grants_router)
api.add_router("/", screen_router)
api.add_router("/", household_router)
api.add_router("/health", health_router)
api.add_router("/health", health_household_router)
api.add_router("/isolation", isolation_router)
api.add_router("/testing", testing_router)
api.add_router("/duty", duty_router)
api.add_router("/access", access_router)
api.add_router("/network", network_router)
api.add_router("/quality", quality_router)
api.add_router("/quality", quality_reports_router)
api.add_router("/", alerts_router)
api.add_router("/briefings", briefing_router)
api.add_router("/notices", notices_router)
