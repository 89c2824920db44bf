from django.urls import path

from headwater.testing import views_results as v

urlpatterns = [
    path("results/", v.results, name="results"),
    path("results/import/", v.import_results, name="results_import"),
    path("retests/", v.retests, name="retests"),
    path("retests/<int:pk>/sample/", v.retest_sample, name="retest_sample"),
]
