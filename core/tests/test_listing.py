"""core.listing: search, whitelisted sort and pagination from the query string."""

import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory

from accounts.models import User
from accounts.tests.factories import UserFactory
from core.listing import ListFilters, page_of, paginate_listing

pytestmark = pytest.mark.django_db

SORTS = {"naam": "full_name", "email": "email"}


@pytest.fixture
def people(org):
    return [
        UserFactory(organisation=org, full_name="Anna de Vries", email="anna@voorbeeld.test"),
        UserFactory(organisation=org, full_name="Bram Jansen", email="bram@voorbeeld.test"),
        UserFactory(organisation=org, full_name="Carla de Boer", email="carla@elders.test"),
    ]


def listing(query: str, **kwargs):
    request = RequestFactory().get("/lijst/" + query)
    defaults = {"search": ["full_name", "email"], "sorts": SORTS, "default": "naam"}
    return paginate_listing(request, User.objects.filter(email__contains="@"), **(defaults | kwargs))


def names(result) -> list[str]:
    return [user.full_name for user in result.page]


def test_it_searches_every_word_in_any_field(people):
    assert names(listing("?q=de")) == ["Anna de Vries", "Carla de Boer"]
    assert names(listing("?q=de+voorbeeld")) == ["Anna de Vries"]
    assert names(listing("?q=BRAM")) == ["Bram Jansen"]


def test_it_sorts_by_a_whitelisted_key_both_ways(people):
    assert names(listing("?sort=-naam")) == ["Carla de Boer", "Bram Jansen", "Anna de Vries"]
    result = listing("?sort=email")
    assert result.sort == "email" and result.state("email") == "ascending" and result.state("naam") == "none"


def test_it_ignores_an_unknown_sort(people):
    for bad in ("password", "--naam", "-password", "naam;drop"):
        result = listing(f"?sort={bad}")
        assert result.sort == "naam"
        assert names(result) == ["Anna de Vries", "Bram Jansen", "Carla de Boer"]


def test_it_rejects_a_default_outside_the_whitelist():
    with pytest.raises(ValueError):
        listing("", default="password")


def test_it_paginates_and_keeps_the_search(people):
    result = listing("?q=voorbeeld&page=2", per_page=1)
    assert names(result) == ["Bram Jansen"] and result.page.paginator.count == 2


def test_the_header_toggles_and_keeps_the_filters(people):
    request = RequestFactory().get("/lijst/?q=de&sort=naam&page=3&status=open")
    result = paginate_listing(request, User.objects.all(), sorts=SORTS, default="naam")
    html = Template(
        '{% load core_tags %}{% sort_header listing "naam" "Naam" %}{% sort_header listing "email" "E-mail" %}'
    ).render(Context({"request": request, "listing": result}))
    assert 'aria-sort="ascending"' in html and 'aria-sort="none"' in html
    assert "sort=-naam" in html and "sort=email" in html
    assert "page=" not in html and "status=open" in html and "q=de" in html


def test_it_runs_two_queries(people, django_assert_num_queries):
    with django_assert_num_queries(2):
        names(listing("?q=de&sort=-email"))


def test_a_not_null_column_sorts_without_nulls_last_so_its_index_serves_the_page(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ambassadors.models import Feedback
    from core.listing import sorted_by

    plain = str(sorted_by(Feedback.objects.all(), "-ontvangen", {"ontvangen": "created_at"}).query)
    assert "NULLS LAST" not in plain and '"created_at" DESC' in plain
    # A nullable column (or one across a relation) keeps empty values last.
    nullable = str(sorted_by(Feedback.objects.all(), "-beantwoord", {"beantwoord": "answered_at"}).query)
    assert "NULLS LAST" in nullable
    related = str(sorted_by(Feedback.objects.all(), "afdeling", {"afdeling": "department__name"}).query)
    assert "NULLS LAST" in related
    # Same rows, same order as before for a column that is never empty.
    with CaptureQueriesContext(connection):
        assert names(listing("?sort=-naam")) == ["Carla de Boer", "Bram Jansen", "Anna de Vries"]


def test_the_choice_filter_gives_what_get_display_gives_in_each_language(org, department_a):
    from django.utils import translation

    from ambassadors.tests.factories import FeedbackFactory

    feedback = FeedbackFactory(department=department_a)
    template = Template('{% load core_tags %}{{ item|choice:"status" }}|{{ item|choice:"category" }}')
    for language in ("nl", "en"):
        with translation.override(language):
            expected = f"{feedback.get_status_display()}|{feedback.get_category_display()}"
            assert template.render(Context({"item": feedback})) == expected
    feedback.status = "onbekend"  # a value outside the choices shows as itself, as get_FOO_display does
    assert Template('{% load core_tags %}{{ item|choice:"status" }}').render(Context({"item": feedback})) == "onbekend"


def test_a_sort_header_is_one_cell_with_its_link_and_caret_and_escapes_its_label():
    request = RequestFactory().get("/lijst/?sort=-naam&q=a<b")
    html = Template(
        '{% load core_tags %}{% sort_header sort "naam" label %}{% sort_header sort "email" "E-mail" %}'
    ).render(Context({"request": request, "sort": "-naam", "label": "Naam <b>"}))
    assert html == (
        '<th scope="col" aria-sort="descending"><a href="?sort=naam&amp;q=a%3Cb">Naam &lt;b&gt;</a>'
        ' <i class="bi bi-caret-down-fill" aria-hidden="true"></i></th>'
        '<th scope="col" aria-sort="none"><a href="?sort=email&amp;q=a%3Cb">E-mail</a></th>'
    )


class DomainFilters(ListFilters):
    """A list's own filters, declared once: a field, the whitelisted sorts and the rows it narrows."""

    sorts = SORTS
    default_sort = "naam"
    domain = forms.CharField(required=False)

    def filter(self, queryset, data):
        return queryset.filter(email__endswith=data["domain"]) if data.get("domain") else queryset


def filtered(query: str, **kwargs):
    request = RequestFactory().get("/lijst/" + query)
    form = DomainFilters(request.GET or None)
    return paginate_listing(request, User.objects.filter(email__contains="@"), filters=form, **kwargs)


def test_a_filter_form_filters_sorts_and_searches(people):
    assert names(filtered("?domain=voorbeeld.test&sort=-naam")) == ["Bram Jansen", "Anna de Vries"]
    result = filtered("?domain=voorbeeld.test&q=anna", search=["full_name"])
    assert names(result) == ["Anna de Vries"] and result.q == "anna" and result.sort == "naam"


def test_an_invalid_filter_query_shows_every_row_in_the_default_order(people):
    result = filtered("?domain=voorbeeld.test&sort=password")
    assert result.sort == "naam"
    assert names(result) == ["Anna de Vries", "Bram Jansen", "Carla de Boer"]


def test_page_of_pages_rows_computed_in_python():
    request = RequestFactory().get("/lijst/?page=3")
    page = page_of(request, list(range(120)))
    assert list(page) == list(range(100, 120)) and page.paginator.num_pages == 3
    assert list(page_of(RequestFactory().get("/lijst/?page=99"), list(range(120)))) == list(range(100, 120))
