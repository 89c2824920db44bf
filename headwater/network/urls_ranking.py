from django.urls import path

from headwater.network import views_ranking as v

urlpatterns = [
    path("criticality/", v.criticality, name="criticality"),
    path("criticality/recompute/", v.recompute, name="criticality_recompute"),
    path("customers/<int:customer_id>/risks/", v.customer_risks, name="customer_risks"),
]
