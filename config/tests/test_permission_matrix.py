"""The permission matrix: every URL with a parameter, as every standing character, against others' objects.

The list of URLs comes from the URL configuration; each must have a rule
below, so a new URL without one fails ``test_every_parametrised_url_has_a_rule``.
A rule builds an object of ANOTHER organisation (and, where departments matter,
of another department) and every character of our organisation must get
403 or 404 (405 for a POST-only URL asked with GET, then 403/404 for the POST)
and never see the object's marker text.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.tests.factories import DepartmentFactory, OrganisationFactory, UserFactory
from config.tests.test_security import _sample_path, project_urls

DENIED = {403, 404}
MARK = "GEHEIM-VAN-NABURIG"


@dataclass
class World:
    org: object
    department: object
    user: object


def _world() -> World:
    org = OrganisationFactory(name="Gemeente Naburig", slug="naburig")
    department = DepartmentFactory(organisation=org, name=f"Afdeling {MARK}", code="NB1")
    user = UserFactory(organisation=org, department=department, full_name=f"Medewerker {MARK}", email="nb@naburig.test")
    return World(org, department, user)


# Object builders: each returns the URL kwargs of an object owned by ``world`` (another organisation).
def department(w: World) -> dict:
    return {"pk": w.department.pk}


def topic(w: World) -> dict:
    from programme.tests.factories import AnnualPlanFactory, TopicFactory

    return {"pk": TopicFactory(plan=AnnualPlanFactory(organisation=w.org), title=MARK).pk}


def topic_material(w: World) -> dict:
    from programme.models import TopicMaterial

    return {"pk": TopicMaterial.objects.create(topic_id=topic(w)["pk"], title=MARK, url="https://example.org/x").pk}


def message(w: World) -> dict:
    from programme.models import Topic
    from programme.tests.factories import MessageFactory

    return {"pk": MessageFactory(topic=Topic.objects.get(pk=topic(w)["pk"]), title=MARK).pk}


def suggestion(w: World) -> dict:
    from programme.tests.factories import SuggestionFactory

    return {"pk": SuggestionFactory(organisation=w.org, title=MARK).pk}


def goal(w: World) -> dict:
    from programme.tests.factories import GoalFactory

    return {"pk": GoalFactory(organisation=w.org, title=MARK).pk}


def kpi(w: World) -> dict:
    from programme.tests.factories import GoalFactory, KpiFactory

    return {"pk": KpiFactory(goal=GoalFactory(organisation=w.org), name=MARK).pk}


def kpi_measurement(w: World) -> dict:
    from programme.models import Kpi, KpiMeasurement

    kpi_pk = kpi(w)["pk"]
    start = Kpi.objects.get(pk=kpi_pk).period_start
    return {"pk": KpiMeasurement.objects.create(kpi_id=kpi_pk, value=1, measured_on=start, source=MARK).pk}


def budget_line(w: World) -> dict:
    from programme.tests.factories import BudgetLineFactory

    return {"pk": BudgetLineFactory(organisation=w.org, description=MARK).pk}


def hours_department(w: World) -> dict:
    return {"department_pk": w.department.pk}


def nomination(w: World) -> dict:
    from ambassadors.tests.factories import NominationFactory

    # A candidate of their own: one open nomination per person, and several rules build one.
    nominee = UserFactory(organisation=w.org, department=w.department, full_name=f"Kandidaat {MARK}")
    return {"pk": NominationFactory(organisation=w.org, nominee=nominee, motivation=MARK).pk}


def ambassador_profile(w: World) -> dict:
    from ambassadors.tests.factories import AppointmentFactory

    AppointmentFactory(organisation=w.org, user=w.user, departments=[w.department])
    return {"pk": w.user.pk}


def appointment(w: World) -> dict:
    from ambassadors.tests.factories import AppointmentFactory

    return {"pk": AppointmentFactory(organisation=w.org, user=w.user, departments=[w.department]).pk}


def recognition(w: World) -> dict:
    from ambassadors.tests.factories import RecognitionFactory

    return {"pk": RecognitionFactory(organisation=w.org, ambassador=w.user, title=MARK).pk}


def activity(w: World) -> dict:
    from ambassadors.tests.factories import ActivityFactory

    return {"pk": ActivityFactory(organisation=w.org, user=w.user, note=MARK).pk}


def feedback(w: World) -> dict:
    from ambassadors.tests.factories import FeedbackFactory

    return {"pk": FeedbackFactory(department=w.department, message=MARK).pk}


def event(w: World) -> dict:
    from ambassadors.tests.factories import EventFactory

    return {"pk": EventFactory(organisation=w.org, title=MARK).pk}


def module(w: World) -> dict:
    from training.tests.factories import ModuleFactory

    return {"pk": ModuleFactory(organisation=w.org, title=f"{MARK} {uuid.uuid4().hex[:6]}").pk}


def module_pk(w: World) -> dict:
    return {"module_pk": module(w)["pk"]}


def session(w: World) -> dict:
    from training.tests.factories import ModuleFactory, SessionFactory

    return {
        "pk": SessionFactory(
            module=ModuleFactory(organisation=w.org, title=f"{MARK} {uuid.uuid4().hex[:6]}"), location=MARK
        ).pk
    }


def enrolment(w: World) -> dict:
    from training.models import TrainingSession
    from training.tests.factories import EnrolmentFactory

    session_obj = TrainingSession.objects.get(pk=session(w)["pk"])
    return {"pk": EnrolmentFactory(session=session_obj, user=w.user, attended=True).pk}


def training_material(w: World) -> dict:
    from training.models import Module
    from training.tests.factories import MaterialFactory

    return {"pk": MaterialFactory(module=Module.objects.get(pk=module(w)["pk"]), title=MARK).pk}


def dataleak(w: World) -> dict:
    from incidents.tests.factories import DataLeakFactory

    return {"pk": DataLeakFactory(department=w.department, description=MARK, reported_by=w.user).pk}


def dataleak_attachment(w: World) -> dict:
    from incidents.models import DataLeak, DataLeakAttachment

    leak = DataLeak.objects.get(pk=dataleak(w)["pk"])
    attachment = DataLeakAttachment(leak=leak, original_name=f"{MARK}.pdf", size=10)
    attachment.file.save("x.pdf", ContentFile(b"%PDF-1.4 " + MARK.encode()), save=True)
    return {"pk": leak.pk, "attachment_pk": attachment.pk}


def dataleak_ap_notification(w: World) -> dict:
    from incidents.models import APNotification, DataLeak

    leak = DataLeak.objects.get(pk=dataleak(w)["pk"])
    notification = APNotification.objects.create(
        leak=leak, kind=APNotification.Kind.INITIAL, notified_at=leak.aware_at, ap_reference=MARK
    )
    return {"pk": leak.pk, "notification_pk": notification.pk}


def dataleak_subject_notification(w: World) -> dict:
    from incidents.models import DataLeak, SubjectNotification

    leak = DataLeak.objects.get(pk=dataleak(w)["pk"])
    record = SubjectNotification.objects.create(
        leak=leak, channel="letter", informed_on=timezone.localdate(), number_informed=1, notes=MARK
    )
    return {"pk": leak.pk, "record_pk": record.pk}


def survey(w: World) -> dict:
    from evaluation.surveys.models import Question, Survey

    obj = Survey.objects.create(
        organisation=w.org, title=MARK, deadline=timezone.localdate() + datetime.timedelta(days=7)
    )
    Question.objects.create(survey=obj, text=MARK, order=1)
    return {"pk": obj.pk}


def survey_question(w: World) -> dict:
    from evaluation.surveys.models import Question

    pk = survey(w)["pk"]
    return {"pk": pk, "question_pk": Question.objects.filter(survey_id=pk).first().pk}


def survey_follow_up(w: World) -> dict:
    from evaluation.surveys.models import Survey

    baseline = Survey.objects.get(pk=survey(w)["pk"])
    baseline.measurement, baseline.campaign = "baseline", MARK
    baseline.save()
    follow_up = Survey.objects.get(pk=survey(w)["pk"])
    follow_up.measurement, follow_up.campaign, follow_up.baseline = "follow_up", MARK, baseline
    follow_up.deadline = baseline.deadline + datetime.timedelta(days=90)
    follow_up.status = "closed"
    follow_up.save()
    return {"pk": follow_up.pk}


def survey_export(w: World) -> dict:
    return {**survey(w), "fmt": "csv"}


def department_export(w: World) -> dict:
    return {"pk": w.department.pk, "table": "figures", "fmt": "csv"}


def programme_export(w: World) -> dict:
    from programme.tests.factories import GoalFactory, KpiFactory

    KpiFactory(goal=GoalFactory(organisation=w.org), name=MARK)
    return {"table": "kpis", "fmt": "csv"}


def proposal(w: World) -> dict:
    from evaluation.report.models import TopicProposal

    year = timezone.localdate().year
    return {
        "year": year,
        "pk": TopicProposal.objects.create(organisation=w.org, year=year, title=MARK, proposed_by=w.user).pk,
    }


def year_scoped(builder: Callable[[World], dict], **extra) -> Callable[[World], dict]:
    """For year (and quarter) pages: the other organisation has data in that year; it must not show."""

    def build(w: World) -> dict:
        builder(w)
        return {"year": timezone.localdate().year, **extra}

    return build


def mailing(w: World) -> dict:
    from programme.models import QuarterlyMailing

    QuarterlyMailing.objects.get_or_create(
        organisation=w.org, year=timezone.localdate().year, quarter=1, defaults={"subject": MARK, "body": MARK}
    )
    return {"year": timezone.localdate().year, "quarter": 1}


def officer_role(w: World) -> dict:
    from accounts.models import Officer

    return {"pk": Officer.objects.create(user=w.user, kind=Officer.Kind.PRIVACY_OFFICER).pk}


def organisation_slug(w: World) -> dict:
    return {"slug": w.org.slug}


def api_token(w: World) -> dict:
    from api import services

    token, _secret = services.token_create(
        organisation=w.org,
        created_by=None,
        name=MARK,
        scopes=["topics:read"],
        expires_at=timezone.now() + datetime.timedelta(days=9),
    )
    return {"pk": token.pk}


def evidence_control(w: World) -> dict:
    """A control of the other organisation's own framework, and its explanation of a built-in control."""
    from evaluation.evidence.models import Control, ControlExplanation, ControlFramework

    framework = ControlFramework.objects.create(
        organisation=w.org, name=MARK, source=MARK, version=uuid.uuid4().hex[:6]
    )
    control = Control.objects.create(framework=framework, code="X.1", title=MARK, evidence_kinds=["activities"])
    builtin = Control.objects.filter(framework__organisation__isnull=True).first()
    if builtin is not None:
        ControlExplanation.objects.get_or_create(
            organisation=w.org, control=builtin, year=timezone.localdate().year, defaults={"text": MARK}
        )
    return {"year": timezone.localdate().year, "pk": control.pk}


def evidence_framework(w: World) -> dict:
    from evaluation.evidence.models import Control

    return {"pk": Control.objects.get(pk=evidence_control(w)["pk"]).framework_id}


def maturity_answer(w: World) -> dict:
    from evaluation.evidence.models import MaturityAnswer, MaturityAssessment

    assessment, _created = MaturityAssessment.objects.get_or_create(
        organisation=w.org, year=timezone.localdate().year, round=1, defaults={"notes": MARK}
    )
    answer, _created = MaturityAnswer.objects.get_or_create(
        assessment=assessment, block=3, defaults={"level": 1, "note": MARK, "evidence": MARK}
    )
    return {"pk": answer.pk}


def department_programme(w: World) -> dict:
    from ambassadors.programmes.models import DepartmentProgramme, PlannedItem

    programme, _created = DepartmentProgramme.objects.get_or_create(
        organisation=w.org, department=w.department, year=timezone.localdate().year, defaults={"status": "submitted"}
    )
    PlannedItem.objects.get_or_create(
        programme=programme, title=MARK, defaults={"kind": "talk", "month": 1, "ambassador": w.user, "hours": 1}
    )
    return {"pk": programme.pk}


def planned_item(w: World) -> dict:
    from ambassadors.programmes.models import PlannedItem

    return {"pk": PlannedItem.objects.get(programme_id=department_programme(w)["pk"]).pk}


def good_practice(w: World) -> dict:
    from ambassadors.programmes.models import GoodPractice

    practice = GoodPractice.objects.create(
        organisation=w.org,
        author=w.user,
        title=MARK,
        kind="talk",
        what=MARK,
        audience=MARK,
        what_worked=MARK,
        effort=MARK,
    )
    return {"pk": practice.pk}


def library_publication(w: World) -> dict:
    """A publication of the other organisation, which ours does not follow."""
    from programme.library import services
    from programme.models import Topic

    topic_pk = topic(w)["pk"]
    services.publish(topic=Topic.objects.get(pk=topic_pk))
    return {"pk": Topic.objects.get(pk=topic_pk).publication.pk}


def library_material(w: World) -> dict:
    from programme.library.models import PublicationMaterial

    return {
        "pk": PublicationMaterial.objects.create(
            publication_id=library_publication(w)["pk"], title=MARK, url="https://example.org/x"
        ).pk
    }


def library_adoption(w: World) -> dict:
    """A topic of the other organisation adopted from a publication (of a third one)."""
    from programme.library.models import Adoption

    return {"pk": Adoption.objects.create(topic_id=topic(w)["pk"], publisher_name=MARK).topic_id}


def bogus_token(w: World) -> dict:
    return {"token": uuid.uuid4().hex}


RULES: dict[str, Callable[[World], dict]] = {
    "department_programmes:practice_mailing": good_practice,
    "topic_library:publication": library_publication,
    "topic_library:publication_adopt": library_publication,
    "topic_library:publication_withdraw": library_publication,
    "topic_library:material": library_material,
    "topic_library:topic_publish": topic,
    "topic_library:adoption_update": library_adoption,
    "accounts:department": department,
    "accounts:department_edit": department,
    "accounts:officer_end": officer_role,
    "accounts:unsubscribe": bogus_token,
    "sso:settings": organisation_slug,
    "sso:callback": organisation_slug,
    "programme:plan": year_scoped(topic),
    "programme:topics": year_scoped(topic),
    "programme:plan_print": year_scoped(topic),
    "programme:plan_publish": year_scoped(topic),
    "programme:plan_copy": year_scoped(topic),
    "programme:plan_create": year_scoped(topic),
    "programme:topic_create": year_scoped(topic),
    "programme:topic": topic,
    "programme:topic_read": topic,
    "programme:topic_update": topic,
    "programme:topic_status": topic,
    "programme:topic_delete": topic,
    "programme:material_create": topic,
    "programme:message_create": topic,
    "programme:material": topic_material,
    "programme:material_delete": topic_material,
    "programme:message_update": message,
    "programme:message_delete": message,
    "programme:message_sent": message,
    "programme:communication": year_scoped(message),
    "programme:mailing_edit": mailing,
    "programme:mailing_preview": mailing,
    "programme:mailing_preview_html": mailing,
    "programme:mailing_cancel": mailing,
    "programme:mailing_send": mailing,
    "programme:mailing_test": mailing,
    "programme:mailing_resend": mailing,
    "programme:mailing_resume": mailing,
    "programme:suggestion_decline": suggestion,
    "programme:goals": year_scoped(goal),
    "programme:goal": goal,
    "programme:goal_update": goal,
    "programme:goal_delete": goal,
    "programme:kpi_create": goal,
    "programme:kpi_update": kpi,
    "programme:kpi_delete": kpi,
    "programme:measurement_create": kpi,
    "programme:measurement_correct": kpi_measurement,
    "programme:hours_confirm": hours_department,
    "programme:budget": year_scoped(budget_line),
    "programme:budget_line_create": year_scoped(budget_line),
    "programme:budget_line_update": budget_line,
    "programme:budget_line_delete": budget_line,
    "programme:calendar_feed": bogus_token,
    "ambassadors:nomination": nomination,
    "ambassadors:department_history": department,
    "ambassadors:profile": ambassador_profile,
    "ambassadors:activity_update": activity,
    "ambassadors:activity_delete": activity,
    "ambassadors:activity_correct": activity,
    "ambassadors:appointment_correct": appointment,
    "ambassadors:nomination_withdraw": nomination,
    "ambassadors:event_delete": event,
    "ambassadors:recognition_update": recognition,
    "ambassadors:recognition_delete": recognition,
    "ambassadors:feedback_give": department,
    "ambassadors:feedback_poster": department,
    "ambassadors:feedback_triage": feedback,
    "ambassadors:event": event,
    "ambassadors:event_update": event,
    "ambassadors:event_rsvp": event,
    "ambassadors:event_cancel": event,
    "ambassadors:event_attendance": event,
    "ambassadors:event_ics": event,
    "training:feed": bogus_token,
    "training:session_detail": session,
    "training:session_edit": session,
    "training:session_enrol": session,
    "training:session_cancel": session,
    "training:session_call_off": session,
    "training:session_enrol_colleague": session,
    "training:session_colleague_search": session,
    "training:attendance": session,
    "training:attendance_list": session,
    "training:enrolment_invite": enrolment,
    "training:certificate": enrolment,
    "training:enrolment_remove": enrolment,
    "training:module_detail": module,
    "training:module_edit": module,
    "training:session_create": module_pk,
    "training:material_download": training_material,
    "training:material_delete": training_material,
    "incidents:detail": dataleak,
    "incidents:received": dataleak,
    "incidents:handle": dataleak,
    "incidents:note": dataleak,
    "incidents:assess": dataleak,
    "incidents:ap_notification": dataleak,
    "incidents:ap_notification_pdf": dataleak,
    "incidents:subjects": dataleak,
    "incidents:close": dataleak,
    "incidents:no_leak": dataleak,
    "incidents:lesson_to_topic": dataleak,
    "incidents:attachment": dataleak_attachment,
    "incidents:ap_notification_correct": dataleak_ap_notification,
    "incidents:subjects_correct": dataleak_subject_notification,
    "incidents:letter_docx": dataleak,
    "incidents:letter_pdf": dataleak,
    "incidents:reopen": dataleak,
    "incidents:add_information": dataleak,
    "incidents:involve_ambassador": dataleak,
    "evaluation:survey_detail": survey,
    "evaluation:survey_update": survey,
    "evaluation:survey_delete": survey,
    "evaluation:question_edit": survey_question,
    "evaluation:question_add": survey,
    "evaluation:question_move": survey_question,
    "evaluation:question_remove": survey_question,
    "evaluation:survey_preview": survey,
    "evaluation:survey_open": survey,
    "evaluation:survey_close": survey,
    "evaluation:survey_results": survey,
    "evaluation:survey_results_export": survey_export,
    "evaluation:survey_measurement": survey,
    "evaluation:survey_compare": survey_follow_up,
    "evaluation:survey_respond": survey,
    "evaluation:department_dashboard": department,
    "evaluation:department_export": department_export,
    "evaluation:director_dashboard": department,
    "evaluation:programme_export": programme_export,
    "evaluation:year_report": year_scoped(proposal),
    "evaluation:year_report_pdf": year_scoped(proposal),
    "evaluation:proposals": year_scoped(proposal),
    "evaluation:proposal_vote": proposal,
    "evaluation:proposal_accept": proposal,
    "api_tokens:revoke": api_token,
    "evaluation:evidence_report": year_scoped(evidence_control),
    "evaluation:evidence_pdf": year_scoped(evidence_control),
    "evaluation:evidence_xlsx": year_scoped(evidence_control),
    "evaluation:evidence_explanation": evidence_control,
    "evaluation:evidence_framework": evidence_framework,
    "evaluation:evidence_framework_edit": evidence_framework,
    "evaluation:evidence_control_edit": evidence_control,
    "evaluation:evidence_control_delete": evidence_control,
    "evaluation:maturity_form": year_scoped(maturity_answer, round=1),
    "evaluation:maturity_propose": maturity_answer,
    "department_programmes:programme": department_programme,
    "department_programmes:item_create": department_programme,
    "department_programmes:programme_submit": department_programme,
    "department_programmes:programme_decide": department_programme,
    "department_programmes:programme_copy": department_programme,
    "department_programmes:overview": year_scoped(department_programme),
    "department_programmes:item_update": planned_item,
    "department_programmes:item_delete": planned_item,
    "department_programmes:practice_adopt": good_practice,
    "department_programmes:practice_feature": good_practice,
}
# Year pages show the organisation's own data of that year: 200 is right, as long as nothing foreign shows.
SCOPED_PAGES = {name for name, rule in RULES.items() if rule.__name__ == "build" or rule in (mailing, programme_export)}


def parametrised_urls() -> list[tuple[str, str]]:
    return [
        (name, route)
        for name, route, _pattern in project_urls()
        if "<" in route and not name.startswith(("account_", "mfa_"))
    ]


def test_every_parametrised_url_has_a_rule():
    missing = [name for name, _route in parametrised_urls() if name not in RULES]
    assert not missing, f"URLs without a rule in the permission matrix: {missing}"


def _path(route: str, kwargs: dict) -> str:
    path = route
    for key, value in kwargs.items():
        for converter in ("int", "str", "slug"):
            path = path.replace(f"<{converter}:{key}>", str(value))
    return _sample_path(path)


@pytest.mark.django_db
def test_nobody_reaches_another_organisations_objects(
    client_as, officer, privacy_officer, ambassador_a, manager_a, staff_b, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    world = _world()
    characters = {
        "officer": officer,
        "privacy officer": privacy_officer,
        "ambassador": ambassador_a,
        "manager": manager_a,
        "staff": staff_b,
    }
    failures = []
    for name, route in parametrised_urls():
        kwargs = RULES[name](world)
        path = _path(route, kwargs)
        for label, user in characters.items():
            client = client_as(user)
            for method in ("get", "post"):
                response = getattr(client, method)(path)
                content = b"".join(response) if getattr(response, "streaming", False) else response.content
                if MARK.encode() in content:
                    failures.append(f"{label} saw another organisation's data at {method.upper()} {name}")
                allowed = DENIED | {405} | ({200, 302} if name in SCOPED_PAGES else set())
                if response.status_code not in allowed:
                    failures.append(f"{label} got {response.status_code} at {method.upper()} {name} ({path})")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_department_boundaries_within_the_organisation(client_as, ambassador_a, manager_a, staff_a, department_b, org):
    """Objects of department B stay out of reach of the ambassador and the manager of department A."""
    from ambassadors.tests.factories import ActivityFactory, AppointmentFactory, FeedbackFactory, RecognitionFactory
    from incidents.tests.factories import DataLeakFactory

    colleague_b = UserFactory(organisation=org, department=department_b, email="b@voorbeeld.test")
    leak_b = DataLeakFactory(department=department_b, description=MARK, reported_by=colleague_b)
    feedback_b = FeedbackFactory(department=department_b, message=MARK)
    activity_b = ActivityFactory(
        organisation=org, user=colleague_b, note=MARK, date=timezone.localdate() - datetime.timedelta(days=1)
    )
    appointment_b = AppointmentFactory(organisation=org, user=colleague_b, departments=[department_b])
    recognition_b = RecognitionFactory(organisation=org, ambassador=colleague_b, title=MARK)
    cases = [
        (f"/datalekken/{leak_b.pk}/", (ambassador_a, manager_a, staff_a)),
        (f"/datalekken/{leak_b.pk}/melding-ap/", (ambassador_a, manager_a, staff_a)),
        (f"/ambassadeurs/feedback/{feedback_b.pk}/", (ambassador_a, manager_a, staff_a)),
        (f"/ambassadeurs/activiteiten/{activity_b.pk}/bewerken/", (ambassador_a, manager_a, staff_a)),
        (f"/ambassadeurs/activiteiten/{activity_b.pk}/verwijderen/", (ambassador_a, manager_a, staff_a)),
        (f"/ambassadeurs/activiteiten/{activity_b.pk}/corrigeren/", (ambassador_a, manager_a, staff_a)),
        (f"/ambassadeurs/aanstellingen/{appointment_b.pk}/corrigeren/", (ambassador_a, manager_a, staff_a)),
        (f"/ambassadeurs/erkenningen/{recognition_b.pk}/bewerken/", (ambassador_a, manager_a, staff_a)),
        (f"/ambassadeurs/erkenningen/{recognition_b.pk}/verwijderen/", (ambassador_a, manager_a, staff_a)),
    ]
    failures = []
    posts = [(f"/programma/uren/{department_b.pk}/", (manager_a,))]
    for method, path, users in [("get", *case) for case in cases] + [("post", *case) for case in posts]:
        for user in users:
            response = getattr(client_as(user), method)(
                path, {"hours_per_month": "8", "year": "2026"} if method == "post" else None
            )
            if response.status_code not in DENIED or MARK.encode() in response.content:
                failures.append(f"{user.email} got {response.status_code} at {path}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_data_leak_attachments_and_department_lists_within_the_organisation(
    client_as, ambassador_a, manager_a, staff_a, privacy_officer, department_a, department_b, org, settings, tmp_path
):
    """Within the organisation: a report's attachments only for its handlers and the ambassadors the Privacy Officer
    involved (not the department's other ambassadors, nor the reporter); the department list only for ambassadors,
    with their own departments' reports."""
    from incidents.models import DataLeakAttachment
    from incidents.tests.factories import DataLeakFactory

    settings.MEDIA_ROOT = tmp_path
    leak_a = DataLeakFactory(department=department_a, description=MARK, reported_by=staff_a)
    attachment = DataLeakAttachment(leak=leak_a, original_name=f"{MARK}.pdf", size=10)
    attachment.file.save("x.pdf", ContentFile(b"%PDF-1.4 " + MARK.encode()), save=True)
    leak_b = DataLeakFactory(department=department_b, description=MARK)
    download = f"/datalekken/{leak_a.pk}/bijlagen/{attachment.pk}/"
    failures = []
    for user, allowed in ((staff_a, DENIED), (ambassador_a, DENIED), (manager_a, DENIED), (privacy_officer, {200})):
        response = client_as(user).get(download)
        if response.status_code not in allowed:
            failures.append(f"{user.email} got {response.status_code} at the attachment")
    for user in (staff_a, manager_a, privacy_officer):
        if client_as(user).get("/datalekken/mijn-afdelingen/").status_code not in DENIED:
            failures.append(f"{user.email} reached the ambassadors' department list")
    listed = client_as(ambassador_a).get("/datalekken/mijn-afdelingen/").content.decode()
    if leak_b.reference in listed or leak_a.reference not in listed:
        failures.append("the ambassador's department list crosses departments")
    assert not failures, "\n".join(failures)


OURS = "GEHEIM-VAN-VOORBEELD"
# The API: each endpoint's scope. A new API URL without one fails, as a page without a rule does.
API_SCOPES = {
    "api:v1_topics": ("get", "topics:read"),
    "api:v1_kpis": ("get", "kpis:read"),
    "api:v1_budget": ("get", "kpis:read"),
    "api:v1_planned_items": ("get", "topics:read"),
    "api:v1_department_figures": ("get", "kpis:read"),
    "api:v1_register": ("get", "register:read"),
    "api:v1_dataleaks": ("post", "dataleaks:write"),
    "api:v1_people_import": ("post", "people:write"),
}


def test_every_api_endpoint_has_a_scope():
    names = {name for name, _route, _pattern in project_urls() if name.startswith("api:v1_")}
    assert names == set(API_SCOPES)


@pytest.mark.django_db
def test_the_api_never_crosses_organisations_and_takes_no_session(
    client_as, officer, privacy_officer, ambassador_a, manager_a, staff_b, department_a, settings
):
    """Another organisation's token with every scope sees nothing of ours; no signed-in character gets in."""
    # Every session call without a token counts as a failed sign-in from one address: allow one per call here.
    settings.API_AUTH_FAILURES_PER_MINUTE = 10 * len(API_SCOPES)
    from django.test import Client

    from api import services
    from api.models import Scope
    from incidents.tests.factories import DataLeakFactory
    from programme.tests.factories import AnnualPlanFactory, GoalFactory, KpiFactory, TopicFactory

    ours = department_a.organisation
    quarter = (timezone.localdate().month - 1) // 3 + 1
    TopicFactory(
        plan=AnnualPlanFactory(organisation=ours, status="published"), status="published", quarter=quarter, title=OURS
    )
    KpiFactory(goal=GoalFactory(organisation=ours, title=OURS), name=OURS)
    DataLeakFactory(department=department_a, lesson=OURS)
    from ambassadors.programmes.models import DepartmentProgramme, PlannedItem

    PlannedItem.objects.create(
        programme=DepartmentProgramme.objects.create(
            organisation=ours, department=department_a, year=timezone.localdate().year
        ),
        title=OURS,
        kind="talk",
        quarter=quarter,
        hours=1,
    )
    world = _world()
    _token, secret = services.token_create(
        organisation=world.org,
        created_by=None,
        name="Naburig",
        scopes=[s.value for s in Scope],
        expires_at=timezone.now() + datetime.timedelta(days=9),
    )
    theirs = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    failures = []
    for name, route, _pattern in project_urls():
        if name not in API_SCOPES:
            continue
        method, _scope = API_SCOPES[name]
        path = _sample_path(route)
        response = (
            getattr(theirs, method)(path, {}, content_type="application/json") if method == "post" else theirs.get(path)
        )
        if OURS.encode() in response.content or response.status_code >= 500:
            failures.append(f"another organisation's token at {name}: {response.status_code}")
        for user in (officer, privacy_officer, ambassador_a, manager_a, staff_b):
            response = getattr(client_as(user), method)(path)
            if response.status_code != 401 or OURS.encode() in response.content:
                failures.append(f"{user.email} with a session got {response.status_code} at {name}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_health_shows_no_data_to_anyone(client_as, officer, ambassador_a, manager_a, staff_b, outsider):
    """/health/ is open to all and the same for all: states of the parts, never a name, count or row."""
    world = _world()
    bodies = set()
    for user in (None, officer, ambassador_a, manager_a, staff_b, outsider):
        response = client_as(user).get("/health/")
        assert response.status_code == 200
        assert MARK.encode() not in response.content and world.org.name.encode() not in response.content
        bodies.add(response.content)
    assert len(bodies) == 1
