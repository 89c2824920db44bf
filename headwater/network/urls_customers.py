from django.urls import path

from headwater.network import views_customers as v

urlpatterns = [
    path("customers/", v.customer_board, name="customers"),
    path("customers/new/", v.customer_new, name="customer_new"),
    path("customers/import/", v.customers_import, name="customers_import"),
    path("customers/<int:customer_id>/", v.customer_page, name="customer"),
    path("customers/<int:customer_id>/edit/", v.customer_edit, name="customer_edit"),
    path(
        "customers/<int:customer_id>/deactivate/",
        v.customer_deactivate,
        name="customer_deactivate",
    ),
]
