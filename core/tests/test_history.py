"""The one history of corrections: what changed is kept with the reason, who and when; a missing reason is refused
with one message; nothing is kept when nothing changed; the partial shows it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation

from core import history
from core.models import AuditEntry, Correction

pytestmark = pytest.mark.django_db


def test_a_correction_keeps_the_old_and_new_values_with_the_reason_and_is_audited(staff_a, officer):
    staff_a.job_title = "Adviseur"
    staff_a.save()
    correction = history.correct(
        staff_a,
        data={"job_title": "Senior adviseur", "language": "en"},
        fields=["job_title", "language"],
        reason="  Verkeerd overgenomen uit het HR-bestand.  ",
        user=officer,
        action="accounts.user_corrected",
        organisation_id=staff_a.organisation_id,
    )
    staff_a.refresh_from_db()
    assert staff_a.job_title == "Senior adviseur" and staff_a.language == "en"
    assert correction.record == staff_a and correction.corrected_by == officer
    assert correction.reason == "Verkeerd overgenomen uit het HR-bestand."
    # Each change keeps its text as read then, and its data for a reader in another language.
    assert correction.changes == [
        {
            "name": "job_title",
            "field": "functie",
            "old": "Adviseur",
            "new": "Senior adviseur",
            "old_value": "Adviseur",
            "new_value": "Senior adviseur",
        },
        {
            "name": "language",
            "field": "taal",
            "old": "Nederlands",
            "new": "Engels",
            "old_value": "nl",
            "new_value": "en",
        },
    ]
    assert correction.readable_changes() == [
        {"field": "functie", "old": "Adviseur", "new": "Senior adviseur"},
        {"field": "taal", "old": "Nederlands", "new": "Engels"},
    ]
    with translation.override("en"):
        assert correction.readable_changes()[1] == {"field": "language", "old": "Dutch", "new": "English"}
    assert list(Correction.objects.of(staff_a)) == [correction]
    entry = AuditEntry.objects.get(action="accounts.user_corrected")
    assert entry.object_id == str(staff_a.pk) and entry.detail == "functie, taal"


def test_a_correction_without_a_reason_is_refused_with_the_one_message(staff_a, officer):
    with pytest.raises(ValidationError) as error:
        history.correct(
            staff_a,
            data={"job_title": "Anders"},
            fields=["job_title"],
            reason="   ",
            user=officer,
            action="accounts.user_corrected",
            organisation_id=staff_a.organisation_id,
        )
    assert error.value.message_dict == {"reason": ["Geef de reden voor de correctie."]}
    staff_a.refresh_from_db()
    assert staff_a.job_title != "Anders" and not Correction.objects.exists()


def test_nothing_is_kept_when_nothing_changed(staff_a, officer):
    result = history.correct(
        staff_a,
        data={"job_title": staff_a.job_title},
        fields=["job_title"],
        reason="Toch niet",
        user=officer,
        action="accounts.user_corrected",
        organisation_id=staff_a.organisation_id,
    )
    assert result is None and not Correction.objects.exists()
    assert not AuditEntry.objects.filter(action="accounts.user_corrected").exists()


def test_the_reason_field_of_a_form_asks_with_the_same_message():
    field = history.reason_field()
    with pytest.raises(ValidationError) as error:
        field.clean("")
    assert error.value.messages == ["Geef de reden voor de correctie."]


def test_corrections_are_only_visible_within_the_organisation(staff_a, officer, outsider):
    history.correct(
        staff_a,
        data={"job_title": "Nieuw"},
        fields=["job_title"],
        reason="Gewijzigd",
        user=officer,
        action="accounts.user_corrected",
        organisation_id=staff_a.organisation_id,
    )
    assert Correction.objects.visible_to(officer).count() == 1
    assert not Correction.objects.visible_to(outsider).exists()


def test_the_partial_shows_each_change_the_reason_and_who(staff_a, officer):
    history.correct(
        staff_a,
        data={"job_title": "Nieuw <b>"},
        fields=["job_title"],
        reason="Tikfout",
        user=officer,
        action="accounts.user_corrected",
        organisation_id=staff_a.organisation_id,
    )
    html = render_to_string("core/partials/history.html", {"corrections": Correction.objects.of(staff_a)})
    assert 'data-testid="corrections"' in html and 'data-testid="correction"' in html
    assert "Nieuw &lt;b&gt;" in html and "Tikfout" in html and officer.full_name in html
    assert render_to_string("core/partials/history.html", {"corrections": []}).strip() == ""
