"""Demo data of the ambassadors app, added when ``seed_demo`` runs."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.demo import working_day
from accounts.models import User
from ambassadors.models import Activity, Appointment, Event, Feedback, Nomination, Recognition, Registration
from programme.models import Topic

ACTIVITIES = [
    # days ago, kind, hours, reached, note
    (3, Activity.Kind.TEAM_MEETING, "0.5", 12, "Phishingvoorbeelden van deze maand besproken in het teamoverleg."),
    (10, Activity.Kind.WALKTHROUGH, "1", 18, "Clean-desk-ronde na werktijd: drie onvergrendelde schermen."),
    (17, Activity.Kind.QUESTION, "0.5", 1, "Vraag over het mailen van een BSN naar een ketenpartner."),
    (31, Activity.Kind.TALK, "2", 25, "Korte presentatie over veilig thuiswerken."),
    (
        45,
        Activity.Kind.INCIDENT_SUPPORT,
        "1.5",
        1,
        "Collega geholpen met het melden van een verkeerd verstuurde brief.",
    ),
    (62, Activity.Kind.PUBLICATION, "1", 60, "Intranetbericht over wachtwoordzinnen geschreven."),
    (80, Activity.Kind.BEHAVIOUR, "0.5", 2, "Collega's aangesproken op een open kast met dossiers."),
    (110, Activity.Kind.TEAM_MEETING, "0.5", 10, "Uitleg over het nieuwe datalekformulier."),
]

FEEDBACK = [
    # department code, category, message, anonymous, status, answer, days ago
    (
        "BZ",
        Feedback.Category.PROCEDURE,
        "Het versleuteld mailen naar burgers werkt niet met hun webmail; ze kunnen de bijlage niet openen.",
        True,
        Feedback.Status.PROCEDURE_CHANGED,
        "We sturen nu een beveiligde downloadlink in plaats van een versleutelde bijlage. De werkinstructie is aangepast.",
        40,
    ),
    (
        "BZ",
        Feedback.Category.QUESTION,
        "Mag ik een kopie van een paspoort bewaren als de klant daar om vraagt?",
        False,
        Feedback.Status.EXPLAINED,
        "Nee: we maken alleen een kopie als de wet dat vraagt. We hebben dit toegevoegd aan de veelgestelde vragen.",
        25,
    ),
    (
        "BZ",
        Feedback.Category.IDEA,
        "Zet een sticker 'scherm vergrendeld?' op elke balie.",
        False,
        Feedback.Status.NEW,
        "",
        4,
    ),
    (
        "WI",
        Feedback.Category.COMPLIMENT,
        "De training over phishing was erg praktisch, dank!",
        True,
        Feedback.Status.NEW,
        "",
        2,
    ),
    (
        "WI",
        Feedback.Category.PROCEDURE,
        "De printer op de tweede verdieping print zonder pincode; dossiers blijven liggen.",
        False,
        Feedback.Status.IN_PROGRESS,
        "",
        12,
    ),
]


def _shift(moment: datetime.datetime, days: int) -> datetime.datetime:
    return moment - datetime.timedelta(days=days)


def seed_demo(sender, organisation, people, today: datetime.date, **kwargs) -> None:
    departments = people["departments"]
    term_start = today.replace(month=1, day=1)
    term_end = today.replace(year=today.year + 1, month=12, day=31)
    for role, codes in (("ambassador", ["BZ"]), ("ambassador_wi", ["WI"])):
        user = people.get(role)
        if user is None or Appointment.objects.filter(user=user).exists():
            continue
        appointment = Appointment.objects.create(
            organisation=organisation, user=user, term_start=term_start, term_end=term_end, hours_per_month=8
        )
        appointment.departments.set([departments[code] for code in codes])
    ambassador = people.get("ambassador")
    officer = people.get("ciso")
    if ambassador is None or officer is None:
        return  # the small second municipality gets no more than its appointments
    _activities(organisation, ambassador, departments["BZ"], today)
    _feedback(organisation, departments, people, officer)
    _event(organisation, people, officer, today)
    _recognition(organisation, ambassador, officer)
    _nomination(organisation, people, departments)


def _activities(organisation, ambassador: User, department, today: datetime.date) -> None:
    if Activity.objects.filter(user=ambassador).exists():
        return
    appointment = Appointment.objects.filter(user=ambassador).first()

    topic = Topic.objects.filter(plan__organisation=organisation, plan__year=today.year).published().first()
    for days, kind, hours, reached, note in ACTIVITIES:
        day = today - datetime.timedelta(days=days)
        if day < (appointment.term_start if appointment else day):
            day = appointment.term_start
        Activity.objects.create(
            organisation=organisation,
            user=ambassador,
            appointment=appointment,
            department=department,
            kind=kind,
            topic=topic if kind in (Activity.Kind.TALK, Activity.Kind.TEAM_MEETING) else None,
            date=day,
            hours=Decimal(hours),
            colleagues_reached=reached,
            note=note,
        )


def _feedback(organisation, departments, people, officer: User) -> None:
    if Feedback.objects.filter(organisation=organisation).exists():
        return
    now = timezone.now()
    staff = people.get("staff")
    for code, category, message, anonymous, status, answer, days in FEEDBACK:
        item = Feedback.objects.create(
            organisation=organisation,
            department=departments[code],
            category=category,
            message=message,
            is_anonymous=anonymous,
            author=None if anonymous else staff,
            status=status,
            answer=answer,
            answered_by=officer if answer else None,
        )
        created = _shift(now, days)
        Feedback.objects.filter(pk=item.pk).update(
            created_at=created, answered_at=created + datetime.timedelta(days=6) if answer else None
        )


def _event(organisation, people, officer: User, today: datetime.date) -> None:
    if Event.objects.filter(organisation=organisation).exists():
        return
    day = working_day(today + datetime.timedelta(days=14), today)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 0)))
    event = Event.objects.create(
        organisation=organisation,
        kind=Event.Kind.MEETING,
        title="Ambassadeursoverleg: phishing en thuiswerken",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1, minutes=30),
        location="Stadhuis, zaal 2.14",
        agenda="1. Opening\n2. Ervaringen van het afgelopen kwartaal\n3. Nieuwe phishingcampagne\n4. Rondvraag",
        capacity=15,
        created_by=officer,
    )
    for role in ("ambassador", "ambassador_wi", "ciso"):
        if people.get(role):
            Registration.objects.get_or_create(event=event, user=people[role])


def _recognition(organisation, ambassador: User, officer: User) -> None:
    if Recognition.objects.filter(ambassador=ambassador).exists():
        return
    Recognition.objects.create(
        organisation=organisation,
        ambassador=ambassador,
        kind=Recognition.Kind.THANKS,
        title="Dank voor de clean-desk-rondes",
        message="Dankzij uw rondes liggen er bij Burgerzaken nauwelijks nog dossiers open. Hartelijk dank!",
        given_by=officer,
    )


def _nomination(organisation, people, departments) -> None:
    candidate = User.objects.filter(organisation=organisation, department=departments["KCC"]).order_by(
        "email"
    ).first() or people.get("staff")
    if candidate is None or Nomination.objects.filter(nominee=candidate).exists():
        return
    Nomination.objects.create(
        organisation=organisation,
        nominee=candidate,
        nominated_by=candidate,
        department=candidate.department,
        motivation="Ik wil collega's helpen om veilig met gegevens van inwoners om te gaan.",
        affinity="Heb de cursus privacy in de praktijk gevolgd en ben lid van de werkgroep AVG.",
        influence="Ik werk al acht jaar bij het KCC en collega's komen vaak met vragen bij mij.",
        hours_available=Decimal("6"),
    )
