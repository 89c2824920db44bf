from django.urls import path

from headwater.access import views_visitors as v

urlpatterns = [
    path("visitors/gates/", v.gates, name="visitor_gates"),
    path("gates/<int:gate_id>/visitors/", v.gate_visitors, name="gate_visitors"),
    path("gates/<int:gate_id>/visitors/new/", v.visit_new, name="visit_new"),
    path("gates/<int:gate_id>/vehicles/new/", v.vehicle_new, name="vehicle_new"),
    path("visits/", v.visits, name="visits"),
    path("visits/mine/", v.my_visits, name="my_visits"),
    path("visits/<int:visit_id>/", v.visit, name="visit"),
    path("visits/<int:visit_id>/slip.pdf", v.visit_slip, name="visit_slip"),
    path("v/<str:token>/", v.visit_pass_page, name="visit_pass"),
]
