"""Roster, post, leave and wish pages."""

from django.urls import path

from headwater.duty import views_rosters, views_rosters_posts

urlpatterns = [
    path("rosters/", views_rosters.roster_list, name="rosters"),
    path("rosters/<int:pk>/", views_rosters.roster_page, name="roster"),
    path("shifts/<int:pk>/", views_rosters.shift_page, name="shift"),
    path("posts/", views_rosters_posts.post_list, name="posts"),
    path("posts/<int:pk>/", views_rosters_posts.post_page, name="post"),
    path("leave/", views_rosters_posts.leave_page, name="leave"),
    path("wishes/", views_rosters_posts.wishes_page, name="wishes"),
]
