"""The testing API (/api/v1/testing): one router mounting the routers of each part."""

from ninja import Router

router = Router(tags=["testing"])
