from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import Department, Officer, Organisation, User
from accounts.security_events import role_change


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    # The webhook is a secret: set on the organisation's settings page, where it is shown back masked.
    exclude = ["teams_webhook_url"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "organisation", "parent", "is_active"]
    list_filter = ["organisation", "level", "is_active"]
    search_fields = ["name", "code"]
    filter_horizontal = ["managers"]
    raw_id_fields = ["parent"]
    exclude = ["teams_webhook_url"]

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.managers.values_list("pk", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.managers.values_list("pk", flat=True))
        for user_id, verb in [(pk, "added") for pk in sorted(after - before)] + [
            (pk, "removed") for pk in sorted(before - after)
        ]:
            role_change(user_id, f"manager of department {form.instance.pk} {verb}", request=request)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "organisation", "department", "is_active"]
    list_filter = ["organisation", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    raw_id_fields = ["department"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            "Personal",
            {"fields": ["full_name", "organisation", "department", "job_title", "employee_number", "language"]},
        ),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "organisation", "password1", "password2"]})
    ]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "is_deputy"]
    list_filter = ["kind"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        role_change(obj.user_id, f"officer {obj.kind} {'changed' if change else 'added'}", request=request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        role_change(obj.user_id, f"officer {obj.kind} removed", request=request)

    def delete_queryset(self, request, queryset):
        for obj in list(queryset):
            self.delete_model(request, obj)
