from django.urls import path

from headwater.network import views_pressure as v

urlpatterns = [
    path("points/", v.point_list, name="pressure_points"),
    path("points/<int:pressure_point_id>/", v.point_page, name="pressure_point"),
    path("points/<int:pressure_point_id>/edit/", v.point_edit, name="pressure_point_edit"),
    path("points/<int:pressure_point_id>/device/", v.device_enrol, name="pressure_device_enrol"),
    path(
        "points/<int:pressure_point_id>/device/revoke/",
        v.device_revoke,
        name="pressure_device_revoke",
    ),
]
