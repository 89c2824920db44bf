from django.urls import path

from headwater.access import views_dining

urlpatterns = [
    path("dining/", views_dining.canteens, name="dining_canteens"),
    path("dining/canteens/<int:site_id>/", views_dining.canteen, name="dining_canteen"),
    path("dining/slots/<int:pk>/edit/", views_dining.slot_edit, name="dining_slot_edit"),
    path("dining/slots/<int:pk>/delete/", views_dining.slot_delete, name="dining_slot_delete"),
    path("dining/groups/<int:pk>/delete/", views_dining.group_delete, name="dining_group_delete"),
    path("dining/orders/", views_dining.orders, name="dining_orders"),
    path("dining/live/", views_dining.live, name="dining_live"),
]
