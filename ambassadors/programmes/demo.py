"""Demo data of the department programme: Burgerzaken's agreed programme, Werk en Inkomen's waiting one, a practice.

Runs after the ambassadors' demo (the app comes after ``ambassadors`` in INSTALLED_APPS), so the appointments and
activities exist; the second municipality gets a draft from its plan only.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ambassadors.models import Activity
from ambassadors.programmes import services
from ambassadors.programmes.models import ActivityMatch, DepartmentProgramme, GoodPractice


def seed_demo(sender, organisation, people, today: datetime.date, **kwargs) -> None:
    departments = people["departments"]
    officer = people.get("ciso")
    for role, code in (("ambassador", "BZ"), ("ambassador_wi", "WI")):
        user = people.get(role)
        if user is None or code not in departments:
            continue
        if DepartmentProgramme.objects.filter(department=departments[code], year=today.year).exists():
            continue
        programme, _created = services.programme_start(user=user, department=departments[code], year=today.year)
        if not programme.items.exists():
            continue
        if role == "ambassador" and officer is not None:
            _fill_in(programme, user, today)
            services.programme_submit(programme=programme)
            services.programme_decide(programme=programme, user=officer, agree=True, remark="")
        elif role == "ambassador_wi":
            services.programme_submit(programme=programme)


def _fill_in(programme: DepartmentProgramme, user, today: datetime.date) -> None:
    """Match Burgerzaken's activities to the items of their period; drop one item and share a good practice."""
    items = list(programme.items.all())
    for activity in Activity.objects.filter(user=user, date__year=today.year).order_by("date"):
        item = next((i for i in items if i.starts_on <= activity.date <= i.ends_on), None)
        if item is not None:
            ActivityMatch.objects.get_or_create(activity=activity, defaults={"item": item})
    unmatched = [i for i in items if not i.matches.exists()]
    if unmatched:
        services.item_update(
            item=unmatched[-1],
            data={"decision": "dropped", "decision_reason": "Valt samen met de organisatiebrede campagne."},
        )
    done = next((i for i in items if i.matches.exists()), None)
    if done is not None and not GoodPractice.objects.filter(organisation_id=programme.organisation_id).exists():
        practice = services.practice_share(
            user=user,
            item=done,
            data={
                "title": "Phishingquiz van vijf minuten in het teamoverleg",
                "kind": Activity.Kind.TEAM_MEETING,
                "topic": done.topic,
                "what": "Vijf echte phishingmails van deze maand op het scherm; het team stemt: echt of nep?",
                "audience": "Team Balie, 12 collega's",
                "what_worked": "Echte voorbeelden uit de eigen mailbox en een korte uitleg waarop u let.",
                "effort": "Een half uur voorbereiden, tien minuten in het overleg.",
                "hours": Decimal("0.5"),
            },
            url="https://www.veiliginternetten.nl/",
            material_title="Voorbeelden en uitleg",
        )
        practice.featured = True
        practice.save(update_fields=["featured"])
