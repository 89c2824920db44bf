from django.urls import path

from headwater.briefing import views

app_name = "briefing"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("generate/", views.generate, name="generate"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/send/", views.send, name="send"),
    path("<int:pk>/download/<str:fmt>/", views.download, name="download"),
]
