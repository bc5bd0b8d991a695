"""The built-in control framework: the BIO2 controls (ISO/IEC 27002:2022) the programme gives evidence for.

Shared by every organisation (no organisation) and read-only in the browser;
an organisation adds its own norms (for example the ENSIA questions it
answers) as frameworks of its own.
"""

from django.db import migrations

SOURCE = "BIO2 / ISO/IEC 27002:2022"
NAME = "Baseline Informatiebeveiliging Overheid (BIO2)"
VERSION = "ISO/IEC 27002:2022"

CONTROLS = [
    (
        "5.2",
        "Rollen en verantwoordelijkheden voor informatiebeveiliging",
        "Rollen en verantwoordelijkheden voor informatiebeveiliging zijn vastgesteld en belegd.",
        ["roles", "ambassador_coverage"],
    ),
    (
        "5.4",
        "Managementverantwoordelijkheden",
        "Het management vraagt van alle medewerkers dat zij informatiebeveiliging toepassen volgens het beleid en "
        "draagt daar zelf zichtbaar aan bij.",
        ["management", "ambassador_coverage"],
    ),
    (
        "5.24",
        "Planning en voorbereiding van het beheer van informatiebeveiligingsincidenten",
        "Processen, rollen en verantwoordelijkheden voor het beheer van incidenten zijn vastgesteld en bekend.",
        ["roles", "ambassador_coverage", "training_sessions"],
    ),
    (
        "5.25",
        "Beoordeling van en besluitvorming over informatiebeveiligingsgebeurtenissen",
        "Gebeurtenissen worden beoordeeld en er wordt besloten of het een incident is.",
        ["dataleaks_decided"],
    ),
    (
        "5.26",
        "Reactie op informatiebeveiligingsincidenten",
        "Op incidenten wordt gereageerd volgens gedocumenteerde procedures, met tijdige meldingen.",
        ["dataleaks_notified"],
    ),
    (
        "5.27",
        "Leren van informatiebeveiligingsincidenten",
        "Kennis uit incidenten wordt gebruikt om maatregelen en bewustwording te verbeteren.",
        ["lessons", "feedback"],
    ),
    (
        "5.28",
        "Verzamelen van bewijsmateriaal",
        "Bewijs over incidenten wordt vastgelegd, verzameld en bewaard.",
        ["evidence_trail", "register_completeness"],
    ),
    (
        "5.34",
        "Privacy en bescherming van persoonsgegevens",
        "Eisen voor privacy en de bescherming van persoonsgegevens (AVG) worden vastgesteld en nageleefd, waaronder "
        "het register van datalekken (art. 33 lid 5 AVG).",
        ["register_completeness", "dataleaks_reported", "dataleaks_notified"],
    ),
    (
        "6.3",
        "Bewustwording, opleiding en training op het gebied van informatiebeveiliging",
        "Medewerkers krijgen passende bewustwording, opleiding en training, regelmatig bijgewerkt.",
        [
            "training_sessions",
            "mandatory_training",
            "topics_published",
            "mailings",
            "ambassador_coverage",
            "activities",
            "surveys",
        ],
    ),
    (
        "6.8",
        "Melden van informatiebeveiligingsgebeurtenissen",
        "Medewerkers melden waargenomen of vermoede gebeurtenissen tijdig via de daarvoor bestemde kanalen.",
        ["dataleaks_reported", "activities"],
    ),
]


def load(apps, schema_editor):
    framework_model = apps.get_model("evaluation", "ControlFramework")
    control_model = apps.get_model("evaluation", "Control")
    framework, _created = framework_model.objects.get_or_create(
        organisation=None,
        source=SOURCE,
        version=VERSION,
        defaults={
            "name": NAME,
            "description": "De maatregelen van de BIO2 waarvoor het ambassadeursprogramma bewijs levert.",
        },
    )
    for order, (code, title, description, kinds) in enumerate(CONTROLS, start=1):
        control_model.objects.update_or_create(
            framework=framework,
            code=code,
            defaults={"title": title, "description": description, "evidence_kinds": kinds, "order": order * 10},
        )


def unload(apps, schema_editor):
    apps.get_model("evaluation", "ControlFramework").objects.filter(
        organisation=None, source=SOURCE, version=VERSION
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0003_evidence_and_maturity")]

    operations = [migrations.RunPython(load, unload)]
