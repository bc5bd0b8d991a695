from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import organisation_create


class Command(BaseCommand):
    help = (
        "Create an organisation (a municipality) and invite its first CISO: the CISO receives a mail to choose "
        "a password and sets up the second factor at the first sign-in."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--name", required=True, help='The organisation\'s name, e.g. "Gemeente Testdorp".')
        parser.add_argument("--ciso-email", required=True, help="E-mail address of the first CISO.")
        parser.add_argument("--ciso-name", default="", help="Full name of the first CISO (the HR import fills it too).")

    def handle(self, *args, name: str, ciso_email: str, ciso_name: str, **options) -> None:
        try:
            organisation, ciso = organisation_create(name=name, ciso_email=ciso_email, ciso_name=ciso_name)
        except ValidationError as exc:
            raise CommandError(" ".join(message for messages in exc.message_dict.values() for message in messages))
        self.stdout.write(self.style.SUCCESS(f"{organisation.name} created (slug: {organisation.slug})."))
        self.stdout.write(f"Invitation sent to {ciso.email}: they choose a password and set up the second factor.")
        self.stdout.write(f"HR import: python manage.py import_employees FILE --organisation {organisation.slug}")
