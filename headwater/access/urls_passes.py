from django.urls import path

from headwater.access import views_passes

urlpatterns = [
    path("pass/", views_passes.my_pass, name="my_pass"),
    path("cards/", views_passes.cards, name="pass_cards"),
    path("cards/print.pdf", views_passes.cards_pdf, name="pass_cards_pdf"),
    path("cards/<int:pk>/card.pdf", views_passes.card_pdf, name="pass_card_pdf"),
    path("keys/", views_passes.keys, name="signing_keys"),
]
