"""Demo data of the training app: this year's curriculum with past and upcoming sessions (Gemeente Voorbeeld only)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.demo import working_day
from programme.models import Topic
from training.models import Enrolment, Material, Module, TrainingSession

MODULES = [
    # title, mandatory, topic keyword, learning goals
    (
        "Herkennen en melden van datalekken",
        True,
        "datalek",
        "U herkent een datalek (ook een kleine, zoals een mail aan de verkeerde ontvanger), weet dat u het direct "
        "meldt via het meldformulier en kent de 72-uurstermijn richting de Autoriteit Persoonsgegevens.",
    ),
    (
        "Phishing",
        True,
        "phishing",
        "U herkent phishingmails, sms'jes en telefoontjes, weet wat u doet na een klik op een verdachte link en "
        "helpt collega's op uw afdeling hetzelfde te doen.",
    ),
    (
        "Clean desk",
        False,
        "clean desk",
        "U weet waarom een opgeruimd bureau en een vergrendeld scherm ertoe doen, ook thuis en in de trein, en "
        "hoe u vertrouwelijke papieren afvoert.",
    ),
    (
        "AVG-basis voor uw afdeling",
        False,
        "avg",
        "U kent de grondslagen voor het verwerken van persoonsgegevens, het verwerkingsregister en de rechten "
        "van inwoners, toegepast op de processen van uw eigen afdeling.",
    ),
]


def _at(day: datetime.date, hour: int, minutes: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minutes)))


def _session(module, day, trainer=None, external="", capacity=15, location="", online="", open_all=False):
    return TrainingSession.objects.create(
        module=module,
        starts_at=_at(day, 10),
        ends_at=_at(day, 12),
        location=location,
        online_url=online,
        trainer=trainer,
        external_trainer=external,
        capacity=capacity,
        enrolment_deadline=_at(day - datetime.timedelta(days=2), 17),
        open_to_all_staff=open_all,
    )


def _enrol(session, user, *, status=Enrolment.Status.ENROLLED, attended=False, by=None) -> None:
    if user is None:
        return
    Enrolment.objects.create(
        session=session,
        user=user,
        status=status,
        attended=attended,
        attendance_registered_by=by if attended else None,
        attendance_registered_at=session.ends_at if attended else None,
    )


def seed_demo(sender, organisation, people, today: datetime.date, **kwargs) -> None:
    ambassador, ambassador_wi = people.get("ambassador"), people.get("ambassador_wi")
    if ambassador is None:
        return  # Gemeente Naburig has no ambassadors and no training programme in the demo.
    year = today.year
    modules = {}
    for title, mandatory, keyword, goals in MODULES:
        topic = Topic.objects.filter(plan__organisation=organisation, plan__year=year, title__icontains=keyword).first()
        modules[title], _created = Module.objects.get_or_create(
            organisation=organisation,
            year=year,
            title=title,
            defaults={"is_mandatory": mandatory, "description": goals, "topic": topic},
        )
    if TrainingSession.objects.filter(module__in=modules.values()).exists():
        return
    ciso, privacy, iso = people.get("ciso"), people.get("privacy_officer"), people.get("iso")
    staff, manager = people.get("staff"), people.get("manager")
    day = datetime.timedelta(days=1)
    stadhuis = "Stadhuis, vergaderzaal 2.14"

    leaks = modules["Herkennen en melden van datalekken"]
    past = _session(leaks, working_day(today - 40 * day, today), trainer=privacy, capacity=20, location=stadhuis)
    _enrol(past, ambassador, attended=True, by=privacy)
    _enrol(past, ambassador_wi, attended=True, by=privacy)
    _session(leaks, working_day(today + 21 * day, today), trainer=privacy, capacity=15, location=stadhuis)
    Material.objects.get_or_create(
        module=leaks,
        title="Meldformulier datalekken en stappenplan",
        defaults={"url": "https://autoriteitpersoonsgegevens.nl/themas/beveiliging/datalekken"},
    )

    phishing = modules["Phishing"]
    past = _session(phishing, working_day(today - 10 * day, today), trainer=ciso, capacity=12, location=stadhuis)
    _enrol(past, ambassador, attended=True, by=ciso)
    _enrol(past, ambassador_wi, attended=False)
    upcoming = _session(
        phishing,
        working_day(today + 14 * day, today),
        trainer=ciso,
        capacity=12,
        online="https://teams.example.org/phishing",
    )
    _enrol(upcoming, ambassador_wi)
    Material.objects.get_or_create(
        module=phishing, title="Checklist verdachte mail", defaults={"url": "https://veiliginternetten.nl/phishing/"}
    )

    clean_desk = modules["Clean desk"]
    upcoming = _session(
        clean_desk,
        working_day(today + 30 * day, today),
        trainer=iso,
        capacity=25,
        location="Stadskantoor, zaal Noord",
        open_all=True,
    )
    _enrol(upcoming, staff)
    _enrol(upcoming, ambassador)

    avg = modules["AVG-basis voor uw afdeling"]
    full = _session(
        avg,
        working_day(today + 45 * day, today),
        external="mr. J. de Haan (Privacy Academie)",
        capacity=2,
        location=stadhuis,
        open_all=True,
    )
    _enrol(full, ambassador_wi)
    _enrol(full, staff)
    _enrol(full, manager, status=Enrolment.Status.WAITLISTED)
