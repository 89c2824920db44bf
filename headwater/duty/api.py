"""The duty API (/api/v1/duty): one router mounting the routers of each part."""

from ninja import Router

router = Router(tags=["duty"])
