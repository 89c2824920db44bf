from django.urls import path

from headwater.core import views
from headwater.core.views import devices, grants, signin

app_name = "core"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/unlock-signin/", signin.unlock_signin, name="unlock_signin"),
    path("units/", views.units, name="units"),
    path("sites/", views.sites, name="sites"),
    path("levels/", views.response_levels, name="levels"),
    path("levels/setting/", views.level_setting, name="level_setting"),
    path("audit/", views.audit_trail, name="audit"),
    path("audit/<str:model>/<str:pk>/", views.object_history, name="history"),
    path("roster/import/", views.roster_import, name="roster_import"),
    path("roster/export/", views.roster_export, name="roster_export"),
    path("roster/template/", views.roster_template, name="roster_template"),
    # Roles and devices on pages (core.grants, core.devices; ADR 0012)
    path("people/<int:pk>/roles/grant/", grants.person_grant, name="person_grant"),
    path("roles/", grants.GrantList.as_view(), name="grants"),
    path("roles/<int:pk>/revoke/", grants.grant_revoke, name="grant_revoke"),
    path("roles/import/", grants.grants_import, name="grants_import"),
    path("roles/template/", grants.grants_template, name="grants_template"),
    path("devices/", devices.device_list, name="devices"),
    path("devices/<int:pk>/revoke/", devices.device_revoke, name="device_revoke"),
]
