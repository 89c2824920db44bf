from django.urls import path

from headwater.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/", views.open_notice, name="open"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("sent/", views.NoticeList.as_view(), name="list"),
    path("new/", views.publish, name="publish"),
    path("<int:pk>/receipts/", views.ReceiptList.as_view(), name="receipts"),
    path("<int:pk>/remind/", views.remind, name="remind"),
]
