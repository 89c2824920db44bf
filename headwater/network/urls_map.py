from django.urls import path

from headwater.network import views_map, views_map_burst, views_map_orders

urlpatterns = [
    path("", views_map.map_page, name="map"),
    path("burst/", views_map_burst.burst_page, name="burst"),
    path("burst/list.pdf", views_map_burst.burst_pdf, name="burst_pdf"),
    path("work-orders/", views_map_orders.order_list, name="work_orders"),
    path("work-orders/<int:work_order_id>/", views_map_orders.order_page, name="work_order"),
]
