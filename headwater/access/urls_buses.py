from django.urls import path

from headwater.access import views_buses

urlpatterns = [
    path("buses/", views_buses.buses, name="buses"),
    path("buses/routes/<int:pk>/", views_buses.route_page, name="bus_route"),
    path("buses/trips/<int:pk>/", views_buses.trip_page, name="bus_trip"),
    path("bus/", views_buses.my_trips, name="bus_mine"),
    path("bus/<int:pk>/", views_buses.run_trip, name="bus_run"),
]
