from django.contrib import admin

from training.models import Enrolment, Material, Module, TrainingSession


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "is_mandatory", "organisation"]
    list_filter = ["organisation", "year", "is_mandatory"]
    search_fields = ["title"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["module", "starts_at", "capacity", "trainer", "external_trainer"]
    list_filter = ["module__organisation"]
    raw_id_fields = ["trainer"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["session", "user", "status", "attended"]
    list_filter = ["status", "attended"]
    raw_id_fields = ["user", "session", "attendance_registered_by"]


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "module", "created_at"]
    raw_id_fields = ["uploaded_by"]
