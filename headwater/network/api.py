"""The network API (/api/v1/network): one router mounting the routers of each part."""

from ninja import Router

router = Router(tags=["network"])
# Each part adds its router below (one line pair each):
from headwater.network.api_map import router as map_router  # noqa: E402

router.add_router("", map_router)
