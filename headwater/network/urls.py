app_name = "network"
urlpatterns: list = []
# Each part appends its own (one line pair each, so parallel work merges cleanly):
from headwater.network import urls_customers  # noqa: E402

urlpatterns += urls_customers.urlpatterns
from headwater.network import urls_ranking  # noqa: E402

urlpatterns += urls_ranking.urlpatterns
from headwater.network import urls_models  # noqa: E402

urlpatterns += urls_models.urlpatterns
from headwater.network import urls_pressure  # noqa: E402

urlpatterns += urls_pressure.urlpatterns
from headwater.network import urls_map  # noqa: E402

urlpatterns += urls_map.urlpatterns
