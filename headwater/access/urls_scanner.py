from django.urls import path

from headwater.access import views_scanner as v

urlpatterns = [
    path("scanner/", v.scanner, name="scanner"),
    path("scanner/sw.js", v.service_worker, name="scanner_sw"),
]
