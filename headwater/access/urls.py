app_name = "access"
urlpatterns: list = []
# Each part appends its own (one line each, so parallel work merges cleanly):
from headwater.access import urls_passes  # noqa: E402

urlpatterns += urls_passes.urlpatterns
from headwater.access import urls_dining  # noqa: E402

urlpatterns += urls_dining.urlpatterns
from headwater.access import urls_buses  # noqa: E402

urlpatterns += urls_buses.urlpatterns
from headwater.access import urls_visitors  # noqa: E402

urlpatterns += urls_visitors.urlpatterns
from headwater.access import urls_gates  # noqa: E402

urlpatterns += urls_gates.urlpatterns
from headwater.access import urls_tracing  # noqa: E402

urlpatterns += urls_tracing.urlpatterns
from headwater.access import urls_scanner  # noqa: E402

urlpatterns += urls_scanner.urlpatterns
