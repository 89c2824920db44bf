from django.urls import path

from headwater.core import views
from headwater.core.views import signin

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
]
