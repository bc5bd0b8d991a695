"""The demo municipalities: Gemeente Voorbeeld (about 60 employees) and the small Gemeente Naburig.

Idempotent: running it twice changes nothing. Every demo user has the same
password; officers, managers and the superuser have TOTP set up with one
shared secret and fixed recovery codes, so a newcomer can sign in as each role.
"""

from __future__ import annotations

import datetime
import random
from functools import cache

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.utils import encrypt
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Department, Officer, Organisation, User
from accounts.signals import demo_seeded


def working_day(day: datetime.date, today: datetime.date) -> datetime.date:
    """``day``, or the nearest working day away from ``today`` when it falls in a weekend: the demo's dates are
    counted from the day it is loaded, and a session or meeting on a Sunday is no demo of a gemeente. A future day
    moves to the Monday after, a past one to the Friday before, so what was past stays past."""
    step = datetime.timedelta(days=1 if day >= today else -1)
    while day.weekday() >= 5:
        day += step
    return day


DEMO_PASSWORD = "Demo-wachtwoord-2026"
DEMO_TOTP_SECRET = "DEMOGEMEENTEVOORBEELDAMBASSADEUR"
DEMO_RECOVERY_SEED = "ambassadeursprogramma-demo-herstelcodes"

VOORBEELD_TREE = [
    # code, name, level, parent code
    ("DV", "Directie Dienstverlening", "directorate", ""),
    ("BZ", "Burgerzaken", "unit", "DV"),
    ("BZ-BAL", "Team Balie", "team", "BZ"),
    ("BZ-DOC", "Team Reisdocumenten", "team", "BZ"),
    ("KCC", "Klantcontactcentrum", "unit", "DV"),
    ("SD", "Directie Sociaal Domein", "directorate", ""),
    ("WI", "Werk en Inkomen", "unit", "SD"),
    ("JW", "Jeugd en Wmo", "unit", "SD"),
    ("BV", "Directie Bedrijfsvoering", "directorate", ""),
    ("IV", "Informatievoorziening en ICT", "unit", "BV"),
    ("PO", "Personeel en Organisatie", "unit", "BV"),
    ("FIN", "Financiën", "unit", "BV"),
    ("JZ", "Juridische Zaken", "unit", "BV"),
    ("RU", "Directie Ruimte", "directorate", ""),
    ("VG", "Vergunningen", "unit", "RU"),
    ("OR", "Openbare Ruimte", "unit", "RU"),
]

# The settings a CISO fills in on the organisation's settings page (fictitious; no Teams webhook).
DEMO_MASTER_DATA = {
    "voorbeeld": {
        "legal_name": "Gemeente Voorbeeld",
        "street": "Raadhuisplein 1",
        "postcode": "1234 AB",
        "town": "Voorbeeld",
        "kvk_number": "01234567",
        "dpo_name": "Fatima Bouzid",
        "dpo_email": "fg@voorbeeld.nl",
        "dpo_phone": "010 123 45 00",
        "dpo_ap_number": "FG000123",
        "privacy_contact_name": "Ahmed el Amrani (Privacy Officer)",
        "privacy_contact_email": "privacy@voorbeeld.nl",
        "privacy_contact_phone": "010 123 45 67",
        "mail_sender_name": "Gemeente Voorbeeld – Informatieveiligheid en privacy",
        "mail_reply_to": "informatieveiligheid@voorbeeld.nl",
    },
    "naburig": {"legal_name": "Gemeente Naburig", "town": "Naburig", "privacy_contact_email": "privacy@naburig.nl"},
}

NABURIG_TREE = [
    ("ALG", "Algemene Zaken", "unit", ""),
    ("SOC", "Sociaal Team", "unit", ""),
]

# email, name, job title, department code, role
VOORBEELD_PEOPLE = [
    ("ciso@voorbeeld.nl", "Karin de Vries", "Chief Information Security Officer", "IV", "ciso"),
    ("privacy@voorbeeld.nl", "Ahmed el Amrani", "Privacy Officer", "JZ", "privacy_officer"),
    ("iso@voorbeeld.nl", "Lotte Mulder", "Information Security Officer", "IV", "iso"),
    ("manager@voorbeeld.nl", "Marieke Jansen", "Teamleider Burgerzaken", "BZ", "manager"),
    ("directeur@voorbeeld.nl", "Peter van Dijk", "Directeur Dienstverlening", "DV", "director"),
    ("ambassadeur@voorbeeld.nl", "Sanne Bakker", "Medewerker Burgerzaken", "BZ-BAL", "ambassador"),
    ("ambassadeur.wi@voorbeeld.nl", "Youssef Haddou", "Klantmanager", "WI", "ambassador_wi"),
    ("medewerker@voorbeeld.nl", "Tom Visser", "Consulent Werk en Inkomen", "WI", "staff"),
    ("beheer@voorbeeld.nl", "Functioneel Beheer", "Applicatiebeheerder", "IV", "superuser"),
]

NABURIG_PEOPLE = [
    ("ciso@naburig.nl", "Eva Smit", "CISO", "ALG", "ciso"),
    ("medewerker@naburig.nl", "Bram de Boer", "Medewerker Sociaal Team", "SOC", "staff"),
]

FIRST_NAMES = [
    "Anna",
    "Bas",
    "Chantal",
    "Daan",
    "Emma",
    "Fatima",
    "Gijs",
    "Hanna",
    "Ivo",
    "Julia",
    "Kevin",
    "Lisa",
    "Mohamed",
    "Noor",
    "Olaf",
    "Priya",
    "Ruben",
    "Sara",
    "Thijs",
    "Umut",
    "Vera",
    "Wouter",
    "Yara",
    "Zoë",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Yilmaz",
    "Öztürk",
    "Kaya",
]
JOBS = [
    "Beleidsmedewerker",
    "Administratief medewerker",
    "Consulent",
    "Adviseur",
    "Teamleider",
    "Projectleider",
    "Medewerker klantcontact",
    "Jurist",
    "Vergunningverlener",
    "Toezichthouder",
    "Controller",
    "Archivaris",
]


def _tree(organisation: Organisation, tree: list[tuple[str, str, str, str]]) -> dict[str, Department]:
    departments: dict[str, Department] = {}
    for code, name, level, parent_code in tree:
        department, _created = Department.objects.get_or_create(
            organisation=organisation,
            code=code,
            defaults={"name": name, "level": level, "parent": departments.get(parent_code)},
        )
        departments[code] = department
    return departments


@cache
def _password_hash() -> str:
    # Argon2 is slow on purpose: hash the shared demo password once, not per user.
    return make_password(DEMO_PASSWORD)


def _person(organisation, departments, email, name, job, code) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(
            email=email,
            password=_password_hash(),
            full_name=name,
            organisation=organisation,
            department=departments[code],
            job_title=job,
        )
    return user


def _enable_mfa(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(DEMO_TOTP_SECRET)}
        )
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.RECOVERY_CODES,
            data={"seed": encrypt(DEMO_RECOVERY_SEED), "used_mask": 0},
        )


def recovery_codes() -> list[str]:
    """The demo recovery codes (the same for every demo user with MFA)."""
    return RecoveryCodes(Authenticator(data={"seed": encrypt(DEMO_RECOVERY_SEED), "used_mask": 0})).generate_codes()


def _seed_organisation(
    name, slug, tree, people_spec, extra_people: int, rng: random.Random
) -> tuple[Organisation, dict]:
    organisation, _created = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, **DEMO_MASTER_DATA.get(slug, {})}
    )
    departments = _tree(organisation, tree)
    people: dict[str, User] = {}
    for email, full_name, job, code, role in people_spec:
        user = _person(organisation, departments, email, full_name, job, code)
        people[role] = user
        if role in ("ciso", "privacy_officer", "iso"):
            Officer.objects.get_or_create(user=user, kind=role)
        if role == "manager":
            departments[code].managers.add(user)
        if role == "director":
            departments[code].managers.add(user)
        if role == "superuser" and not user.is_superuser:
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
        if role in ("ciso", "privacy_officer", "iso", "manager", "director", "superuser"):
            _enable_mfa(user)
    leaf_codes = [code for code, _n, level, _p in tree if level != "directorate"]
    domain = slug + ".nl"
    for index in range(extra_people):
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        email = (
            f"{first.lower()}.{last.lower().replace(' ', '')}{index}@{domain}".replace("ë", "e")
            .replace("ö", "o")
            .replace("ü", "u")
        )
        _person(organisation, departments, email, f"{first} {last}", rng.choice(JOBS), rng.choice(leaf_codes))
    return organisation, {"departments": departments, **people}


@transaction.atomic
def seed() -> dict[str, tuple[Organisation, dict]]:
    rng = random.Random(2026)  # the same demo every time
    voorbeeld = _seed_organisation(
        "Gemeente Voorbeeld", "voorbeeld", VOORBEELD_TREE, VOORBEELD_PEOPLE, extra_people=52, rng=rng
    )
    naburig = _seed_organisation("Gemeente Naburig", "naburig", NABURIG_TREE, NABURIG_PEOPLE, extra_people=6, rng=rng)
    # Ambassadors need the appointment model of a higher app: that app adds
    # them (and the rest of its demo data) through the demo_seeded signal.
    today = timezone.localdate()
    for organisation, people in (voorbeeld, naburig):
        demo_seeded.send(sender=Organisation, organisation=organisation, people=people, today=today)
    return {"voorbeeld": voorbeeld, "naburig": naburig}
