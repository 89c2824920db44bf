from django.urls import path

from headwater.duty import views_continuity as v

urlpatterns = [
    path("flags/", v.flags, name="flags"),
    path("flags/<int:pk>/", v.flag, name="flag"),
    path("margins/", v.margins, name="margins"),
    path("reserve/", v.reserve, name="reserve"),
    path("shifts/<int:pk>/draw/", v.draw, name="draw"),
    path("loops/", v.loops, name="loops"),
    path("loops/<int:pk>/handover/", v.handover, name="loop_handover"),
]
