from django.urls import path

from headwater.duty import views_now as v

urlpatterns = [
    path("now/", v.on_duty, name="on_duty"),
    path("mine/", v.my_shifts, name="my_shifts"),
    path("calendar/<str:token>.ics", v.calendar_feed, name="calendar_feed"),
    path("shifts/<int:pk>/log/", v.shift_log, name="shift_log"),
    path("assignments/<int:pk>/swap/", v.swap_request, name="swap_request"),
    path("swaps/", v.swaps, name="swaps"),
    path("swaps/<int:pk>/", v.swap_decide, name="swap_decide"),
    path("handovers/missing/", v.missing_handovers, name="missing_handovers"),
]
