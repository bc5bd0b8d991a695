"""Demo data of the programme app: goals with KPIs, last year's and this year's plan, communication, budget."""

from __future__ import annotations

import datetime
from decimal import Decimal

from programme.kpi_status import Direction
from programme.models import (
    AnnualPlan,
    BudgetLine,
    Goal,
    HoursConfirmation,
    Kpi,
    KpiMeasurement,
    Message,
    QuarterlyMailing,
    Topic,
    TopicMaterial,
    TopicSuggestion,
)

# title, month or None, quarter or None, key message, why it matters, audience, channels, department code
TOPICS = [
    (
        "Phishing herkennen",
        1,
        None,
        "Twijfelt u over een mail? Klik niet, maar meld hem met de meldknop in Outlook.",
        "De meeste datalekken en besmettingen beginnen met een phishingmail.",
        "Alle medewerkers",
        ["newsletter", "intranet", "teams"],
        "",
    ),
    (
        "Wachtwoorden en MFA",
        2,
        None,
        "Gebruik een wachtzin en zet tweestapsverificatie aan op elk account dat het ondersteunt.",
        "Gestolen wachtwoorden zijn de makkelijkste weg naar binnen.",
        "Alle medewerkers",
        ["intranet", "email"],
        "",
    ),
    (
        "Clean desk en clear screen",
        None,
        1,
        "Vergrendel uw scherm (Windows+L) en laat geen papieren met persoonsgegevens liggen.",
        "Balies en flexplekken zijn toegankelijk voor bezoekers en collega's.",
        "Medewerkers met baliecontact",
        ["poster", "team_meeting"],
        "BZ",
    ),
    (
        "Datalek melden binnen het uur",
        4,
        None,
        "Meld een (mogelijk) datalek direct bij de Privacy Officer; u krijgt er nooit last van.",
        "De gemeente moet binnen 72 uur melden bij de Autoriteit Persoonsgegevens.",
        "Alle medewerkers",
        ["newsletter", "intranet", "team_meeting"],
        "",
    ),
    (
        "Veilig thuiswerken",
        6,
        None,
        "Werk via de VPN, gebruik geen privé-printer en voer vertrouwelijke gesprekken niet in de trein.",
        "Hybride werken verplaatst het risico naar huis en onderweg.",
        "Alle medewerkers",
        ["intranet", "teams"],
        "",
    ),
    (
        "AVG en bewaartermijnen",
        None,
        3,
        "Bewaar persoonsgegevens niet langer dan nodig en ruim gedeelde mappen op.",
        "Te lang bewaren is een overtreding van de AVG en vergroot de schade bij een lek.",
        "Medewerkers sociaal domein",
        ["newsletter", "team_meeting"],
        "WI",
    ),
    (
        "Social engineering aan de telefoon",
        9,
        None,
        "Verifieer wie er belt voordat u gegevens geeft: bel terug via het bekende nummer.",
        "Oplichters doen zich voor als collega, leverancier of burger.",
        "Klantcontactcentrum en balies",
        ["team_meeting", "email"],
        "",
    ),
    (
        "Veilig e-mailen met bijlagen",
        10,
        None,
        "Controleer de geadresseerde en gebruik beveiligde mail voor bijzondere persoonsgegevens.",
        "Een verkeerd geadresseerde mail is het meest gemelde datalek.",
        "Alle medewerkers",
        ["newsletter", "intranet"],
        "",
    ),
    (
        "Terugblik en jaarcijfers",
        None,
        4,
        "Wat leverde het programma dit jaar op? De cijfers en de plannen voor volgend jaar.",
        "Medewerkers zien wat hun meldingen en feedback hebben opgeleverd.",
        "Alle medewerkers",
        ["newsletter", "intranet", "teams"],
        "",
    ),
]


def _plan(organisation, year: int, people, departments, status: str) -> AnnualPlan:
    plan, _created = AnnualPlan.objects.get_or_create(
        organisation=organisation, year=year, defaults={"title": f"Jaarplan {year}", "status": status}
    )
    if plan.topics.exists():
        return plan
    owner = people.get("ciso")
    for title, month, quarter, key, why, audience, channels, code in TOPICS:
        topic = Topic.objects.create(
            plan=plan,
            title=title,
            month=month,
            quarter=quarter,
            key_message=key,
            why_it_matters=why,
            target_audience=audience,
            channels=channels,
            department=departments.get(code) if code else None,
            owner=owner,
            status=Topic.Status.PUBLISHED if status == AnnualPlan.Status.PUBLISHED else Topic.Status.DRAFT,
        )
        TopicMaterial.objects.create(
            topic=topic, title="Achtergrond op de site van de Rijksoverheid", url="https://www.digitaltrustcenter.nl"
        )
        for channel in channels[:2]:
            day = topic.starts_on + datetime.timedelta(days=7 if channel == channels[0] else 14)
            Message.objects.create(
                topic=topic,
                channel=channel,
                planned_on=day,
                title=title,
                status=Message.Status.SENT if day < datetime.date.today() else Message.Status.PLANNED,
            )
    return plan


def seed_demo(sender, organisation, people, today: datetime.date, **kwargs) -> None:
    if organisation.slug != "voorbeeld":
        AnnualPlan.objects.get_or_create(organisation=organisation, year=today.year, defaults={"title": "Jaarplan"})
        return
    departments = people["departments"]
    year = today.year
    _plan(organisation, year - 1, people, departments, AnnualPlan.Status.PUBLISHED)
    _plan(organisation, year, people, departments, AnnualPlan.Status.PUBLISHED)

    if not Goal.objects.filter(organisation=organisation, year=year).exists():
        awareness = Goal.objects.create(
            organisation=organisation,
            year=year,
            kind=Goal.Kind.LONG_TERM,
            title="Bewustzijn van informatiebeveiliging en privacy",
            description="Medewerkers herkennen risico's en weten wat ze moeten doen.",
        )
        phishing = Kpi.objects.create(
            goal=awareness,
            name="Klikratio phishingsimulatie",
            unit="procent",
            baseline=Decimal("24"),
            target=Decimal("10"),
            direction=Direction.LOWER,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
        )
        KpiMeasurement.objects.create(
            kpi=phishing,
            value=Decimal("18.5"),
            measured_on=datetime.date(year, 3, 15),
            source="Phishingsimulatie maart",
            recorded_by=people.get("ciso"),
        )
        Kpi.objects.create(
            goal=awareness,
            name="Afdelingen met een actieve ambassadeur",
            measure="ambassador_coverage",
            unit="procent",
            baseline=Decimal("40"),
            target=Decimal("80"),
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
        )
        # Rates a department's dashboard sets against the programme's target (its "Programme target" column).
        for name, measure, target in [
            ("Feedback binnen 30 dagen beantwoord", "feedback_answered_30d", "90"),
            ("Ambassadeursuren ten opzichte van afgesproken", "ambassador_hours_ratio", "80"),
        ]:
            Kpi.objects.create(
                goal=awareness,
                name=name,
                measure=measure,
                unit="procent",
                target=Decimal(target),
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
            )
        reports = Goal.objects.create(
            organisation=organisation,
            year=year,
            kind=Goal.Kind.SHORT_TERM,
            title="Meer datalekken gemeld",
            description="Een hoger aantal meldingen betekent dat medewerkers lekken herkennen en durven melden.",
        )
        Kpi.objects.create(
            goal=reports,
            name="Datalekmeldingen per kwartaal",
            measure="dataleak_reports",
            unit="meldingen",
            baseline=Decimal("6"),
            target=Decimal("12"),
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 3, 31),
        )

    mailing_quarter = (today.month - 1) // 3 + 1
    QuarterlyMailing.objects.get_or_create(
        organisation=organisation,
        year=year,
        quarter=mailing_quarter,
        defaults={
            "subject": f"De onderwerpen van kwartaal {mailing_quarter}",
            "body": "Beste collega,\n\nDit kwartaal staan de volgende onderwerpen centraal. "
            "Heeft u vragen? Loop gerust bij mij binnen.",
        },
    )
    if not BudgetLine.objects.filter(organisation=organisation, year=year).exists():
        for category, description, planned, actual in [
            ("training", "E-learning en workshops", "12000", "7450"),
            ("communication", "Posters, drukwerk en intranetcampagne", "3500", "3820"),
            ("recognition", "Bedankjes en jaarbijeenkomst ambassadeurs", "2000", "650"),
            ("tooling", "Phishingsimulatieplatform", "6000", "6000"),
            ("external_ambassadors", "Inhuur externe ambassadeur ICT", "8000", "2500"),
        ]:
            BudgetLine.objects.create(
                organisation=organisation,
                year=year,
                category=category,
                description=description,
                planned=Decimal(planned),
                actual=Decimal(actual),
            )
    if "BZ" in departments and not HoursConfirmation.objects.filter(department=departments["BZ"], year=year).exists():
        HoursConfirmation.objects.create(
            department=departments["BZ"], year=year, hours_per_month=Decimal("8"), confirmed_by=people.get("manager")
        )
    if not TopicSuggestion.objects.filter(organisation=organisation).exists():
        TopicSuggestion.objects.create(
            organisation=organisation,
            title="Veilig omgaan met AI-tools zoals ChatGPT",
            description="Collega's plakken teksten met persoonsgegevens in AI-chatbots.",
            source=TopicSuggestion.Source.AMBASSADOR,
            suggested_by=people.get("ambassador"),
            for_year=year + 1,
        )
        TopicSuggestion.objects.create(
            organisation=organisation,
            title="Verkeerd geadresseerde brieven",
            description="Les uit een datalek: adresgegevens niet gecontroleerd voor verzending.",
            source=TopicSuggestion.Source.DATA_LEAK,
            source_reference="DL-2025-014",
            for_year=year + 1,
        )
