from django.urls import path

from headwater.isolation import views, views_flow

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
    # The escalation flow (应急处理流程)
    path("flows/", views_flow.flow_list, name="flows"),
    path("flows/<int:pk>/advance/", views_flow.flow_advance, name="flow_advance"),
]
