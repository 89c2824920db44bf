"""The network API (/api/v1/network): one router mounting the routers of each part."""

from ninja import Router

router = Router(tags=["network"])
# Each part adds its router below (one line pair each):
from headwater.network.api_customers import router as customers_router  # noqa: E402

router.add_router("", customers_router)
from headwater.network.api_ranking import router as ranking_router  # noqa: E402

router.add_router("", ranking_router)
from headwater.network.api_models import router as models_router  # noqa: E402

router.add_router("", models_router)
from headwater.network.api_pressure import router as pressure_router  # noqa: E402

router.add_router("", pressure_router)
from headwater.network.api_map import router as map_router  # noqa: E402

router.add_router("", map_router)
