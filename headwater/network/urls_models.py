from django.urls import path

from headwater.network import views_models as v

urlpatterns = [
    path("models/", v.model_list, name="models"),
    path("models/<int:network_model_id>/", v.model_page, name="model"),
    path("models/<int:network_model_id>/current/", v.model_current, name="model_current"),
    path("models/<int:network_model_id>/valves/", v.model_generate, name="model_generate"),
    path(
        "models/<int:network_model_id>/valves/import/", v.valves_import, name="model_valves_import"
    ),
    path(
        "models/<int:network_model_id>/population/",
        v.population_import,
        name="model_population_import",
    ),
    path("models/<int:network_model_id>/model.inp", v.model_inp, name="model_inp"),
]
