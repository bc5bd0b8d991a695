from django.contrib import admin

from ambassadors.models import Appointment


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "kind", "term_start", "term_end", "hours_per_month"]
    list_filter = ["organisation", "kind"]
    raw_id_fields = ["user"]
    filter_horizontal = ["departments"]
