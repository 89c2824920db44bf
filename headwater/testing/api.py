"""The testing API (/api/v1/testing): one router mounting the routers of each part."""

from ninja import Router

router = Router(tags=["testing"])
from headwater.testing.api_desk import router as desk_router  # noqa: E402

router.add_router("", desk_router)
