from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from incidents.models import DataLeak, DataLeakAccess


@admin.register(DataLeak)
class DataLeakAdmin(admin.ModelAdmin):
    list_display = ["reference", "organisation", "state_label", "category", "department", "created_at"]
    list_filter = ["organisation", "category"]
    search_fields = ["reference"]
    # Contents are need-to-know: the technical administrator sees the facts, edits nothing.
    fields = [
        "reference",
        "organisation",
        "state_label",
        "category",
        "department",
        "created_at",
        "aware_at",
        "closed_at",
        "no_leak_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("status"))
    def state_label(self, obj: DataLeak) -> str:
        return obj.get_state_display()

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
