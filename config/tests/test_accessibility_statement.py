"""The accessibility statement says what was tested, against which standard, and when (config/accessibility.py)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from config import accessibility


@pytest.mark.django_db
def test_it_says_what_was_tested_and_when(client):
    body = client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Deze applicatie streeft naar WCAG 2.2 niveau AA" in body
    assert (
        "Laatst getest op 6 december 2026 aan WCAG 2.2 niveau A en AA: elke pagina die een medewerker, een "
        "ambassadeur, een manager, een directeur en een CISO bereiken" in body
    )
    assert "op een breedte van 390 en 360 pixels (een telefoon) en 1366 pixels (een laptop)" in body
    assert "2.1 level AA" not in body


@pytest.mark.django_db
def test_the_date_follows_the_constant(client, monkeypatch):
    monkeypatch.setattr(accessibility, "TESTED_ON", datetime.date(2027, 3, 1))
    body = client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Laatst getest op 1 maart 2027" in body
