from django.core.management.base import BaseCommand, CommandError

from core.audit import verify_chain
from core.models import AuditEntry


class Command(BaseCommand):
    help = "Verify that no audit entry was altered or removed (the hash chain is intact)."

    def handle(self, *args, **options) -> None:
        problems = verify_chain()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"The audit chain is broken: {len(problems)} problem(s).")
        self.stdout.write(self.style.SUCCESS(f"The audit chain is intact ({AuditEntry.objects.count()} entries)."))
