"""The duty API (/api/v1/duty): one router mounting the routers of each part."""

from ninja import Router

router = Router(tags=["duty"])
from headwater.duty.api_continuity import router as continuity_router  # noqa: E402

router.add_router("", continuity_router)
