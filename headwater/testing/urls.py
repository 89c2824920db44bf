app_name = "testing"
urlpatterns: list = []
from headwater.testing import urls_desk  # noqa: E402

urlpatterns += urls_desk.urlpatterns
