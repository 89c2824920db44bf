from django.contrib import admin

from headwater.isolation.models import Case, CaseCheck, CaseEvent


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("person", "household_member", "kind", "state", "started_on", "planned_end")
    list_filter = ("state", "kind")
    raw_id_fields = ("person", "household_member", "unit", "monitor", "volunteer", "opened_by")


admin.site.register(CaseEvent)
admin.site.register(CaseCheck)
