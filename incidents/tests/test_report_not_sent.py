"""A submit that fails on the server says plainly that the report was NOT sent and keeps the text."""

import pytest
from django.db import DatabaseError
from django.urls import reverse

from incidents import services
from incidents.models import DataLeak
from incidents.views import reporting as views

pytestmark = pytest.mark.django_db


def _fail(**kwargs):
    raise DatabaseError("gone")


def test_a_database_error_answers_503_with_the_text_and_the_contact(client_as, staff_a, report_data, monkeypatch):
    organisation = staff_a.organisation
    organisation.privacy_contact_name, organisation.privacy_contact_phone = "Petra", "030 123 45 67"
    organisation.save()
    monkeypatch.setattr(services, "dataleak_report", _fail)
    response = client_as(staff_a).post(reverse("incidents:report"), report_data())
    content = response.content.decode()
    assert response.status_code == 503
    assert "Uw melding is NIET verstuurd" in content and "Petra" in content and "030 123 45 67" in content
    assert "Ik heb een mail met een BSN naar de verkeerde Jan gestuurd." in content
    assert DataLeak.objects.count() == 0


def test_with_no_database_at_all_a_page_that_needs_none(client_as, staff_a, report_data, monkeypatch):
    monkeypatch.setattr(services, "dataleak_report", _fail)
    real_render = views.render

    def render(request, template, context=None, **kwargs):
        if template == "incidents/report_form.html":
            raise DatabaseError("gone")
        return real_render(request, template, context, **kwargs)

    monkeypatch.setattr(views, "render", render)
    response = client_as(staff_a).post(reverse("incidents:report"), report_data())
    assert response.status_code == 503
    content = response.content.decode()
    assert "Uw melding is NIET verstuurd" in content and "verkeerde Jan" in content
