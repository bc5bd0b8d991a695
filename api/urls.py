from django.contrib.auth.decorators import login_not_required
from django.middleware.http import ConditionalGetMiddleware
from django.urls import path
from django.utils.decorators import decorator_from_middleware

from api import pages, views

app_name = "api"

# ETag from the body of every successful GET; If-None-Match answers 304 Not Modified.
conditional = decorator_from_middleware(ConditionalGetMiddleware)


def endpoint(view_class):
    # A token, not a session, authenticates these: the login redirect does not apply.
    return login_not_required(conditional(view_class.as_view()))


urlpatterns = [
    path("schema/", endpoint(views.SchemaView), name="schema"),
    path("docs/", pages.docs, name="docs"),
    path("v1/topics/", endpoint(views.TopicList), name="v1_topics"),
    path("v1/kpis/", endpoint(views.KpiList), name="v1_kpis"),
    path("v1/budget/", endpoint(views.BudgetView), name="v1_budget"),
    path("v1/department-programmes/items/", endpoint(views.PlannedItemList), name="v1_planned_items"),
    path("v1/departments/figures/", endpoint(views.DepartmentFigureList), name="v1_department_figures"),
    path("v1/register/", endpoint(views.RegisterList), name="v1_register"),
    path("v1/dataleaks/", endpoint(views.DataLeakHandover), name="v1_dataleaks"),
    path("v1/people/import/", endpoint(views.PeopleImport), name="v1_people_import"),
]
