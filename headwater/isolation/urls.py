from django.urls import path

from headwater.isolation import views, views_flow, views_requests

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
    # service requests (服务预约)
    path("requests/mine/", views_requests.mine, name="my_requests"),
    path("requests/todo/", views_requests.todo, name="requests_todo"),
    path("requests/<int:pk>/", views_requests.detail, name="request"),
    path("cases/<int:pk>/requests/", views_requests.case_requests, name="case_requests"),
    # The escalation flow (应急处理流程)
    path("flows/", views_flow.flow_list, name="flows"),
    path("flows/<int:pk>/advance/", views_flow.flow_advance, name="flow_advance"),
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
