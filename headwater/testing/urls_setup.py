from django.urls import path

from headwater.testing import views_setup, views_setup_roster

urlpatterns = [
    path("campaigns/", views_setup.campaign_list, name="campaigns"),
    path("campaigns/new/", views_setup.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views_setup.campaign_page, name="campaign"),
    path("campaigns/<int:pk>/edit/", views_setup.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/roster/", views_setup_roster.roster, name="roster"),
    path("campaigns/<int:pk>/import/", views_setup_roster.import_outsiders, name="import"),
    path(
        "campaigns/<int:pk>/outsiders.pdf", views_setup_roster.outsiders_pdf, name="outsiders_pdf"
    ),
    path(
        "campaigns/<int:pk>/outsiders.xlsx",
        views_setup_roster.outsiders_xlsx,
        name="outsiders_xlsx",
    ),
    path("batches/<int:pk>/edit/", views_setup_roster.batch_edit, name="batch_edit"),
    path("label-sheets/<int:pk>.pdf", views_setup_roster.label_sheet_pdf, name="label_sheet_pdf"),
]
