"""The AP questionnaire's remaining questions: the legal basis and another duty to notify, joint controllers, the
number of data subjects informed (a sum of the recorded informing) and the documents sent along; on the page, in
its PDF, answered in the assessment and corrected with history."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.tests.pdf_checks import read
from incidents import services
from incidents.ap_form import FILLED, MISSING, NOT_APPLICABLE, ap_chapters
from incidents.models import DataLeak

pytestmark = pytest.mark.django_db


def _answers(leak):
    leak = DataLeak.objects.select_related("organisation").get(pk=leak.pk)
    return {answer.number: answer for chapter in ap_chapters(leak) for answer in chapter.answers}


def test_the_legal_basis_is_art_33_and_another_duty_must_be_answered(leak_a, privacy_officer):
    answers = _answers(leak_a)
    assert answers["1.3"].state == FILLED and answers["1.3"].value == "Artikel 33 AVG"
    assert answers["1.3"].source == "law"
    assert answers["1.4"].state == MISSING and answers["1.4"].mandatory
    services.dataleak_assess(leak=leak_a, actor=privacy_officer, data={"other_notification_duty": "none"})
    assert _answers(leak_a)["1.4"].value == "Nee, alleen artikel 33 AVG"
    services.dataleak_assess(
        leak=leak_a,
        actor=privacy_officer,
        data={"other_notification_duty": "wbni", "other_notification_duty_details": "Ook gemeld bij het CSIRT-DSP."},
    )
    value = _answers(leak_a)["1.4"].value
    assert value.startswith("Ook de Wbni") and value.endswith(": Ook gemeld bij het CSIRT-DSP.")


def test_joint_controllers_are_answered_or_marked_none(leak_a, privacy_officer):
    assert _answers(leak_a)["3.8"].state == MISSING
    services.dataleak_assess(leak=leak_a, actor=privacy_officer, data={"not_applicable": ["joint_controllers"]})
    assert _answers(leak_a)["3.8"].state == NOT_APPLICABLE
    services.dataleak_assess(
        leak=leak_a,
        actor=privacy_officer,
        data={"joint_controllers": "Gemeente Naburig (gemeenschappelijke regeling)", "not_applicable": []},
    )
    assert _answers(leak_a)["3.8"].value == "Gemeente Naburig (gemeenschappelijke regeling)"


def test_the_number_informed_is_the_sum_of_the_recorded_informing(leak_a, privacy_officer):
    answer = _answers(leak_a)["10.6"]
    assert answer.value == "Nog niemand" and not answer.mandatory and answer.source == "subjects"
    first = services.dataleak_record_subject_notification(
        leak=leak_a, actor=privacy_officer, channel="letter", informed_on=timezone.localdate(), number_informed=1200
    )
    services.dataleak_record_subject_notification(
        leak=leak_a, actor=privacy_officer, channel="email", informed_on=timezone.localdate(), number_informed=3
    )
    assert _answers(leak_a)["10.6"].value == "1.203 personen"
    services.dataleak_correct_subject_notification(
        record=first,
        actor=privacy_officer,
        channel="letter",
        informed_on=timezone.localdate(),
        number_informed=1,
        reason="Telfout",
    )
    assert _answers(leak_a)["10.6"].value == "4 personen"


def test_no_number_informed_is_asked_when_the_subjects_are_not_informed(leak_a, privacy_officer):
    services.dataleak_assess(
        leak=leak_a,
        actor=privacy_officer,
        data={
            "subjects_decision": "no_inform",
            "subjects_decision_reason": "Versleuteld.",
            "subjects_exemption": "34_3_a",
        },
    )
    assert _answers(leak_a)["10.6"].state == NOT_APPLICABLE


def test_the_documents_sent_along_are_optional(leak_a, privacy_officer):
    answer = _answers(leak_a)["11.1"]
    assert answer.state == MISSING and not answer.mandatory
    services.dataleak_assess(
        leak=leak_a, actor=privacy_officer, data={"documents_sent": "Geanonimiseerde kopie van de brief"}
    )
    assert _answers(leak_a)["11.1"].state == FILLED


def test_the_assessment_form_asks_them_and_keeps_what_was_typed(client_as, privacy_officer, leak_a):
    client = client_as(privacy_officer)
    url = reverse("incidents:assess", args=[leak_a.pk])
    page = client.get(url).content.decode()
    for label in ("Gezamenlijke verwerkingsverantwoordelijken", "Andere meldplicht", "Bijlagen meegestuurd aan de AP"):
        assert label in page, label
    assert 'data-na="joint_controllers"' in page and 'data-na="documents_sent"' in page
    refused = client.post(url, {"other_notification_duty": "other", "joint_controllers": "Regio Zuid"})
    assert refused.status_code == 200 and "Noem de andere meldplicht." in refused.content.decode()
    assert "Regio Zuid" in refused.content.decode()
    done = client.post(
        url,
        {
            "other_notification_duty": "other",
            "other_notification_duty_details": "Ook de Wet digitale overheid",
            "joint_controllers": "Regio Zuid",
            "documents_sent": "Screenshot zonder namen",
        },
    )
    assert done.status_code == 302
    leak_a.refresh_from_db()
    assert (leak_a.other_notification_duty, leak_a.joint_controllers, leak_a.documents_sent) == (
        "other",
        "Regio Zuid",
        "Screenshot zonder namen",
    )


def test_an_answer_given_to_the_ap_is_corrected_with_a_reason_and_kept(leak_a, privacy_officer):
    services.dataleak_assess(leak=leak_a, actor=privacy_officer, data={"joint_controllers": "Regio Zuid"})
    services.dataleak_record_ap_notification(
        leak=leak_a, actor=privacy_officer, kind="initial", notified_at=timezone.now(), ap_reference="M1"
    )
    with pytest.raises(ValidationError):
        services.dataleak_assess(leak=leak_a, actor=privacy_officer, data={"joint_controllers": "Regio Noord"})
    services.dataleak_assess(
        leak=leak_a, actor=privacy_officer, data={"joint_controllers": "Regio Noord"}, reason="Verkeerde regio."
    )
    correction = leak_a.corrections.get()
    change = correction.changes[0]
    assert (change["old"], change["new"]) == ("Regio Zuid", "Regio Noord") and correction.reason == "Verkeerde regio."


def test_the_page_and_the_pdf_ask_the_new_questions(client_as, privacy_officer, leak_a):
    services.dataleak_record_subject_notification(
        leak=leak_a, actor=privacy_officer, channel="letter", informed_on=timezone.localdate(), number_informed=12
    )
    client = client_as(privacy_officer)
    page = client.get(reverse("incidents:ap_notification", args=[leak_a.pk])).content.decode()
    for text in (
        "1.3 Op grond van welke regelgeving doet u deze melding?",
        "3.8 Gezamenlijke verwerkingsverantwoordelijken",
        "10.6 Hoeveel betrokkenen zijn geïnformeerd?",
        "11. Bijlagen",
        "12 personen",
    ):
        assert text in page, text
    pdf = read(client.get(reverse("incidents:ap_notification_pdf", args=[leak_a.pk])).content)
    for text in ("Artikel 33 AVG", "Gezamenlijke verwerkingsverantwoordelijken", "12 personen", "Bijlagen"):
        assert text in pdf.text, text


def test_the_page_marks_a_bsn_in_the_answers(client_as, privacy_officer, team_a, staff_a):
    from incidents.tests.factories import DataLeakFactory

    leak = DataLeakFactory(reported_by=staff_a, department=team_a, description="BSN 123456782 gemaild.")
    page = client_as(privacy_officer).get(reverse("incidents:ap_notification", args=[leak.pk])).content.decode()
    assert '<mark class="bsn">' in page and 'data-testid="bsn-in-answers"' in page
