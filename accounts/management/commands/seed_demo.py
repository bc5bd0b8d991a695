from django.core.management.base import BaseCommand

from accounts import demo
from accounts.models import Organisation


class Command(BaseCommand):
    help = "Load the demo municipalities (Gemeente Voorbeeld and Gemeente Naburig). Safe to run twice."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any organisation exists.")

    def handle(self, *args, if_empty: bool = False, **options) -> None:
        if if_empty and Organisation.objects.exists():
            self.stdout.write("Demo: the database already has data; nothing loaded.")
            return
        result = demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo municipalities loaded."))
        self.stdout.write(f"Password of every demo user: {demo.DEMO_PASSWORD}")
        self.stdout.write(f"TOTP secret of the demo officers, managers and superuser: {demo.DEMO_TOTP_SECRET}")
        self.stdout.write("Recovery codes: " + " ".join(demo.recovery_codes()))
        for organisation, people in result.values():
            users = ", ".join(f"{role}: {user.email}" for role, user in people.items() if role != "departments")
            self.stdout.write(f"{organisation.name}: {users}")
