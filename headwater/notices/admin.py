from django.contrib import admin

from headwater.notices.models import Notice, Receipt, Reminder


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "organization", "published_at", "audience")
    list_filter = ("kind", "organization")
    raw_id_fields = ("units", "published_by")


@admin.register(Receipt)
class ReceiptAdmin(admin.ModelAdmin):
    list_display = ("notice", "person", "read_at", "acknowledged_at", "correct")
    raw_id_fields = ("notice", "person", "unit")


admin.site.register(Reminder)
