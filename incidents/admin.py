from django.contrib import admin

from incidents.models import DataLeak, DataLeakAccess


@admin.register(DataLeak)
class DataLeakAdmin(admin.ModelAdmin):
    list_display = ["reference", "organisation", "status", "category", "department", "created_at"]
    list_filter = ["organisation", "status", "category"]
    search_fields = ["reference"]
    # Contents are need-to-know: the technical administrator sees the facts, edits nothing.
    fields = ["reference", "organisation", "status", "category", "department", "created_at", "aware_at", "closed_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DataLeakAccess)
class DataLeakAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "leak", "detail", "ip_address"]
    list_filter = ["action"]
    readonly_fields = ["at", "organisation", "user", "action", "leak", "detail", "ip_address"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
