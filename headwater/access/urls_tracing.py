from django.urls import path

from headwater.access import views_tracing

urlpatterns = [
    path("tracing/", views_tracing.tracing, name="tracing"),
]
