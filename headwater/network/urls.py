app_name = "network"
urlpatterns: list = []
# Each part appends its own (one line pair each, so parallel work merges cleanly):
from headwater.network import urls_map  # noqa: E402

urlpatterns += urls_map.urlpatterns
