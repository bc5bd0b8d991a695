from django.contrib import admin

from accounts.security_events import role_change
from ambassadors.models import Activity, Appointment, Event, Feedback, Nomination, Recognition, Registration


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "kind", "term_start", "term_end", "hours_per_month"]
    list_filter = ["organisation", "kind"]
    raw_id_fields = ["user", "predecessor", "nomination"]
    filter_horizontal = ["departments"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        role_change(obj.user_id, f"ambassador appointment {obj.pk} {'changed' if change else 'added'}", request=request)

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        role_change(obj.user_id, f"ambassador appointment {pk} removed", request=request)

    def delete_queryset(self, request, queryset):
        for obj in list(queryset):
            self.delete_model(request, obj)


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["nominee", "organisation", "status", "created_at"]
    list_filter = ["organisation", "status"]
    raw_id_fields = ["nominee", "nominated_by", "decided_by", "department"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "date", "hours", "organisation"]
    list_filter = ["organisation", "kind"]
    raw_id_fields = ["user", "appointment", "department", "topic"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    # The author is left out on purpose: the admin is no back door around anonymity rules.
    list_display = ["department", "category", "status", "created_at"]
    list_filter = ["organisation", "status", "category"]
    fields = ["department", "category", "message", "status", "answer", "topic", "procedure"]
    raw_id_fields = ["department", "topic"]


class RegistrationInline(admin.TabularInline):
    model = Registration
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "organisation"]
    list_filter = ["organisation", "kind"]
    inlines = [RegistrationInline]


@admin.register(Recognition)
class RecognitionAdmin(admin.ModelAdmin):
    list_display = ["title", "ambassador", "kind", "created_at"]
    list_filter = ["organisation", "kind"]
    raw_id_fields = ["ambassador", "given_by"]
