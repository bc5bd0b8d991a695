from django.core.management.base import BaseCommand, CommandError

from core.audit import read_checkpoints, verify_chain, write_checkpoint
from core.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Verify the audit trail: every entry's HMAC under the trail's key (or a fallback key), the chain from the "
        "first entry to the head, and the last checkpoint written outside the database (AUDIT_CHECKPOINT_PATH)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--checkpoint", action="store_true", help="When intact, also write a checkpoint of the head now."
        )

    def handle(self, *args, **options) -> None:
        problems = verify_chain()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"The audit trail is broken: {len(problems)} problem(s).")
        if options["checkpoint"]:
            write_checkpoint()
        checkpoints = read_checkpoints()
        since = f", last checkpoint {checkpoints[-1]['written_at']}" if checkpoints else ", no checkpoint written yet"
        self.stdout.write(
            self.style.SUCCESS(f"The audit trail is intact ({AuditEntry.objects.count()} entries{since}).")
        )
