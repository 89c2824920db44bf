from django.urls import path

from headwater.testing import views_desk as v

urlpatterns = [
    path("desk/", v.desk_home, name="desk_home"),
    path("desk/<int:pk>/", v.desk, name="desk"),
    path("desk/<int:pk>/calls/", v.desk_calls, name="desk_calls"),
]
