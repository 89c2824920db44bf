"""Django admin for the platform operator (superuser); the office works in Headwater's pages."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from headwater.core import models as m


@admin.register(m.Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "slug", "region"]


@admin.register(m.Unit)
class UnitAdmin(TreeAdmin):
    form = movenodeform_factory(m.Unit)
    list_display = ["name", "code", "organization"]
    list_filter = ["organization"]


@admin.register(m.Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "organization"]
    list_filter = ["kind", "organization"]


class QualificationInline(admin.TabularInline):
    model = m.Qualification
    extra = 0


@admin.register(m.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["employee_no", "name", "unit", "employment_status", "is_critical"]
    list_filter = ["employment_status", "is_critical", "organization"]
    search_fields = ["employee_no", "name"]
    exclude = ["phone", "id_number"]  # personal data is edited in Headwater's pages, masked
    raw_id_fields = ["unit"]
    inlines = [QualificationInline]


class RoleGrantInline(admin.TabularInline):
    model = m.RoleGrant
    extra = 0
    raw_id_fields = ["unit", "site"]


@admin.register(m.User)
class HeadwaterUserAdmin(UserAdmin):
    fieldsets = [*UserAdmin.fieldsets, (None, {"fields": ["person", "organization"]})]
    raw_id_fields = ["person"]
    inlines = [RoleGrantInline]


@admin.register(m.DeviceToken)
class DeviceTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "site", "created_at", "revoked_at", "last_used_at"]
    readonly_fields = ["token_hash"]
