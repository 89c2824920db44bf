from django.urls import path

from headwater.core.views.screen import screen_page

app_name = "dashboard"
urlpatterns = [
    path("screen/", screen_page, name="screen"),
]
