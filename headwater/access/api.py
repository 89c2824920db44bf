"""The access API (/api/v1/access): one router mounting the routers of each part."""

from ninja import Router

router = Router(tags=["access"])
# Each part adds its router below (one line pair each):
from headwater.access.api_passes import router as passes_router  # noqa: E402

router.add_router("", passes_router)
from headwater.access.api_dining import router as dining_router  # noqa: E402

router.add_router("", dining_router)
from headwater.access.api_buses import router as buses_router  # noqa: E402

router.add_router("", buses_router)
from headwater.access.api_visits import router as visits_router  # noqa: E402

router.add_router("", visits_router)
from headwater.access.api_scan import router as scan_router  # noqa: E402

router.add_router("", scan_router)
from headwater.access.api_gates import router as gates_router  # noqa: E402

router.add_router("", gates_router)
from headwater.access.api_tracing import router as tracing_router  # noqa: E402

router.add_router("", tracing_router)
