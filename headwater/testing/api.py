"""The testing API (/api/v1/testing): one router mounting the routers of each part."""

from ninja import Router

router = Router(tags=["testing"])
from headwater.testing.api_completeness import router as completeness_router  # noqa: E402

router.add_router("", completeness_router)
from headwater.testing.api_results import router as results_router  # noqa: E402

router.add_router("", results_router)
from headwater.testing.api_setup import router as setup_router  # noqa: E402

router.add_router("", setup_router)
from headwater.testing.api_desk import router as desk_router  # noqa: E402

router.add_router("", desk_router)
