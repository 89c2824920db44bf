from django.urls import path

from headwater.access import views_gates as v
from headwater.access import views_ledger as ledger

urlpatterns = [
    path("gates/", v.gate_list, name="gates"),
    path("gates/new/", v.gate_new, name="gate_new"),
    path("gates/import-teams/", v.teams_import, name="gate_teams_import"),
    path("gates/<int:pk>/", v.gate_page, name="gate"),
    path("gates/<int:pk>/edit/", v.gate_edit, name="gate_edit"),
    path("gates/<int:pk>/close/", v.gate_deactivate, name="gate_deactivate"),
    path("gates/<int:pk>/devices/", v.device_enrol, name="gate_device_enrol"),
    path("gates/<int:pk>/teams/", v.team_new, name="gate_team_new"),
    path("gates/<int:pk>/ledger/", ledger.ledger_page, name="gate_ledger"),
    path("gates/<int:pk>/ledger.xlsx", ledger.ledger_xlsx, name="gate_ledger_xlsx"),
    path("gates/<int:pk>/ledger.pdf", ledger.ledger_pdf, name="gate_ledger_pdf"),
    path("gate-devices/<int:pk>/revoke/", v.device_revoke, name="gate_device_revoke"),
    path("gate-teams/<int:pk>/", v.team_edit, name="gate_team_edit"),
    path("gate-teams/<int:pk>/delete/", v.team_delete, name="gate_team_delete"),
    path("gate-teams/<int:pk>/members/", v.member_add, name="gate_member_add"),
    path("gate-members/<int:pk>/remove/", v.member_remove, name="gate_member_remove"),
]
