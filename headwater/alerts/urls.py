from django.urls import path

from headwater.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/open/", views.open_item, name="open"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/close/", views.close, name="close"),
    path("read-all/", views.read_all, name="read_all"),
    path("robots/", views.robots, name="robots"),
    path("robots/new/", views.robot_edit, name="robot_new"),
    path("robots/<int:pk>/edit/", views.robot_edit, name="robot_edit"),
    path("robots/<int:pk>/test/", views.robot_test, name="robot_test"),
]
