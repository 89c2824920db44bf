app_name = "duty"
urlpatterns: list = []
from headwater.duty import urls_continuity  # noqa: E402

urlpatterns += urls_continuity.urlpatterns
