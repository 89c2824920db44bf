"""The access API (/api/v1/access): one router mounting the routers of each part."""

from ninja import Router

router = Router(tags=["access"])
# Each part adds its router below (one line pair each):
from headwater.access.api_scan import router as scan_router  # noqa: E402

router.add_router("", scan_router)
