from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from headwater.api import api
from headwater.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("core/", include("headwater.core.urls")),
    path("alerts/", include("headwater.alerts.urls")),
    path("health/", include("headwater.health.urls")),
    path("quality/", include("headwater.quality.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("favicon.ico", RedirectView.as_view(url="/static/core/favicon.svg", permanent=True)),
]

handler403 = "headwater.core.views.permission_denied"
handler404 = "headwater.core.views.page_not_found"
handler500 = "headwater.core.views.server_error"
