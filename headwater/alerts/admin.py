"""Django admin for the platform operator; the office manages robots in Headwater's pages."""

from django.contrib import admin

from headwater.alerts import models as m


class InboxItemInline(admin.TabularInline):
    model = m.InboxItem
    extra = 0
    raw_id_fields = ["user"]


class DeliveryInline(admin.TabularInline):
    model = m.Delivery
    extra = 0
    readonly_fields = ["channel", "status", "attempts", "last_error", "response", "sent_at"]


@admin.register(m.Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "severity", "organization", "created_at", "closed_at"]
    list_filter = ["severity", "organization"]
    search_fields = ["title", "kind", "dedup_key", "episode"]
    raw_id_fields = ["unit", "acknowledged_by", "closed_by"]
    inlines = [InboxItemInline, DeliveryInline]


@admin.register(m.WebhookChannel)
class WebhookChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organization", "min_severity", "active"]
    list_filter = ["kind", "active", "organization"]
    raw_id_fields = ["unit"]


@admin.register(m.Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["alert", "channel", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["alert", "channel"]
