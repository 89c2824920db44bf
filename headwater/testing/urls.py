app_name = "testing"
urlpatterns: list = []
from headwater.testing import urls_completeness  # noqa: E402

urlpatterns += urls_completeness.urlpatterns
from headwater.testing import urls_results  # noqa: E402

urlpatterns += urls_results.urlpatterns
from headwater.testing import urls_setup  # noqa: E402

urlpatterns += urls_setup.urlpatterns
from headwater.testing import urls_desk  # noqa: E402

urlpatterns += urls_desk.urlpatterns
