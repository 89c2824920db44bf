from django.urls import path

from headwater.isolation import views

app_name = "isolation"
urlpatterns = [
    path("", views.CaseList.as_view(), name="list"),
    path("open/", views.open_case, name="open"),
    path("import/", views.import_cases, name="import"),
    path("today/", views.today, name="today"),
    path("card/", views.my_card, name="my_card"),
    path("cases/<int:pk>/", views.case_page, name="case"),
    path("cases/<int:pk>/check/", views.record_check, name="check"),
    path("cases/<int:pk>/card/", views.case_card, name="card"),
]

from headwater.isolation import views_documents, views_supervision  # noqa: E402

urlpatterns += [
    path("supervision/", views_supervision.today, name="supervision"),
    path("supervision/calls/<int:pk>/", views_supervision.call, name="supervision_call"),
    path("corrections/", views_supervision.corrections, name="corrections"),
    path("cases/<int:pk>/notice.pdf", views_documents.notice, name="notice_pdf"),
    path("cases/<int:pk>/release.pdf", views_documents.release, name="release_pdf"),
    path("verify/<str:token>/", views_documents.verify, name="verify"),
]
