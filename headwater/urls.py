from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from headwater.api import api
from headwater.core import views as core_views
from headwater.core.views import logins as login_views
from headwater.core.views import signin

# The admin signs in through our sign-in page too (throttling, second factor).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", core_views.home, name="home"),
    # Sign-in (ADR 0012): allauth's pages at the root (/login/, /login/code/, /2fa/ …); the
    # names "login" and "logout" stay for the rest of the site.
    path("login/", account_views.login, name="login"),
    path("logout/", account_views.logout, name="logout"),
    path("login/code/confirm/", signin.confirm_login_code, name="account_confirm_login_code"),
    path("", include("allauth.urls")),
    path("activate/<str:token>/", login_views.activate, name="activate"),
    path("activate/", login_views.activate_by_code, name="activate_by_code"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("core/", include("headwater.core.urls")),
    path("dashboard/", include("headwater.core.urls_dashboard")),
    path("alerts/", include("headwater.alerts.urls")),
    path("health/", include("headwater.health.urls")),
    path("isolation/", include("headwater.isolation.urls")),
    path("testing/", include("headwater.testing.urls")),
    path("duty/", include("headwater.duty.urls")),
    path("access/", include("headwater.access.urls")),
    path("network/", include("headwater.network.urls")),
    path("quality/", include("headwater.quality.urls")),
    path("briefings/", include("headwater.briefing.urls")),
    path("notices/", include("headwater.notices.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("favicon.ico", RedirectView.as_view(url="/static/core/favicon.svg", permanent=True)),
]

handler403 = "headwater.core.views.permission_denied"
handler404 = "headwater.core.views.page_not_found"
handler500 = "headwater.core.views.server_error"
