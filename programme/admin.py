from django.contrib import admin

from programme.models import (
    AnnualPlan,
    BudgetLine,
    Goal,
    HoursConfirmation,
    Kpi,
    Message,
    QuarterlyMailing,
    Topic,
    TopicSuggestion,
)


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


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "year", "kind"]
    list_filter = ["organisation", "year"]


@admin.register(Kpi)
class KpiAdmin(admin.ModelAdmin):
    list_display = ["name", "goal", "measure", "period_start", "period_end"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["topic", "channel", "planned_on", "status"]


@admin.register(QuarterlyMailing)
class QuarterlyMailingAdmin(admin.ModelAdmin):
    list_display = ["organisation", "year", "quarter", "subject", "sent_at"]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["description", "organisation", "year", "category", "planned", "actual"]


@admin.register(HoursConfirmation)
class HoursConfirmationAdmin(admin.ModelAdmin):
    list_display = ["department", "year", "hours_per_month", "confirmed_by", "confirmed_at"]
