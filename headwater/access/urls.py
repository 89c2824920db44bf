app_name = "access"
urlpatterns: list = []
# Each part appends its own (one line each, so parallel work merges cleanly):
from headwater.access import urls_scanner  # noqa: E402

urlpatterns += urls_scanner.urlpatterns
