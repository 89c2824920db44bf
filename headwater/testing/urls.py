app_name = "testing"
urlpatterns: list = []
from headwater.testing import urls_setup  # noqa: E402

urlpatterns += urls_setup.urlpatterns
