app_name = "duty"
urlpatterns: list = []
from headwater.duty import urls_rosters  # noqa: E402

urlpatterns += urls_rosters.urlpatterns
from headwater.duty import urls_now  # noqa: E402

urlpatterns += urls_now.urlpatterns
from headwater.duty import urls_continuity  # noqa: E402

urlpatterns += urls_continuity.urlpatterns
