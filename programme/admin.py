from django.contrib import admin

from programme.models import AnnualPlan, Topic, TopicSuggestion


@admin.register(AnnualPlan)
class AnnualPlanAdmin(admin.ModelAdmin):
    list_display = ["year", "organisation", "status"]
    list_filter = ["organisation", "status"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "month", "quarter", "department", "status"]
    list_filter = ["plan__organisation", "status"]


@admin.register(TopicSuggestion)
class TopicSuggestionAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "source", "status"]
    list_filter = ["organisation", "source", "status"]
