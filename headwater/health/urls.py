from django.urls import path

from headwater.health import views

app_name = "health"
urlpatterns = [
    # staff (phone)
    path("checkin/", views.checkin, name="checkin"),
    path("me/", views.my_timeline, name="me"),
    # unit head (phone)
    path("unit/", views.unit_checkins, name="unit"),
    path("unit/report/", views.unit_report, name="unit_report"),
    path("household/", views.household_screening, name="household_screening"),
    path("remind/", views.remind_now, name="remind_now"),
    # office (desktop)
    path("overview/", views.overview, name="overview"),
    path("reports/<int:pk>/", views.unit_report_filings, name="unit_report_filings"),
    path("people/<int:pk>/", views.person_timeline, name="person"),
    path("rules/", views.rules, name="rules"),
    path("risk-areas/", views.risk_areas, name="risk_areas"),
    path("risk-areas/import/", views.risk_areas_import, name="risk_areas_import"),
    path("statuses/", views.statuses, name="statuses"),
]
