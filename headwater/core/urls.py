from django.urls import path

from headwater.core import views
from headwater.core.views import devices, grants, household, logins, signin

app_name = "core"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/unlock-signin/", signin.unlock_signin, name="unlock_signin"),
    path("household/", household.household_list, name="household"),
    path("household/<int:pk>/", household.household_edit, name="household_edit"),
    path("units/", views.units, name="units"),
    path("logins/", logins.overview, name="logins"),
    path("logins/create/", logins.create, name="logins_create"),
    path("logins/units/<int:pk>/", logins.unit_logins, name="logins_unit"),
    path("logins/units/<int:pk>/sheet/", logins.sheet, name="logins_sheet"),
    path("logins/units/<int:pk>/sms/", logins.unit_sms, name="logins_unit_sms"),
    path("logins/people/<int:pk>/code/", logins.person_code, name="logins_person_code"),
    path("logins/people/<int:pk>/sms/", logins.person_sms, name="logins_person_sms"),
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
