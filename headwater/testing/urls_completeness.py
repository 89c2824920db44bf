from django.urls import path

from headwater.testing import views_completeness as views

urlpatterns = [
    path("completeness/", views.current, name="completeness_current"),
    path("campaigns/<int:pk>/completeness/", views.completeness, name="completeness"),
    path(
        "campaigns/<int:pk>/completeness/export/",
        views.completeness_export,
        name="completeness_export",
    ),
]
