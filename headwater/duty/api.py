"""The duty API (/api/v1/duty): one router mounting the routers of each part."""

from ninja import Router

router = Router(tags=["duty"])
from headwater.duty.api_rosters import router as rosters_router  # noqa: E402

router.add_router("", rosters_router)
from headwater.duty.api_now import router as now_router  # noqa: E402

router.add_router("", now_router)
from headwater.duty.api_continuity import router as continuity_router  # noqa: E402

router.add_router("", continuity_router)
