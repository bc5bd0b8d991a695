import pytest

from ambassadors.models import Recognition
from ambassadors.tasks import send_recognition

pytestmark = pytest.mark.django_db


def test_a_recognition_mail_subject_and_text_are_not_html_escaped(org, ambassador_a, officer, mailoutbox):
    recognition = Recognition.objects.create(
        organisation=org,
        ambassador=ambassador_a,
        given_by=officer,
        title="Jan's <b>inzet</b> & meer",
        message="Dank & 'top'",
    )
    send_recognition(recognition_id=recognition.pk)
    mail = mailoutbox[-1]
    assert mail.subject.endswith("Jan's <b>inzet</b> & meer")
    assert "&#x27;" not in mail.subject and "&amp;" not in mail.subject
    assert "Dank & 'top'" in mail.body
    # The HTML part stays escaped.
    assert "&lt;b&gt;inzet" in mail.alternatives[0][0]
