from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts import hr_import
from accounts.models import Organisation


class Command(BaseCommand):
    help = (
        "Import employees and departments from an HR export (CSV or XLSX). Without --apply it is a dry run "
        "that shows what would change. The column layout is documented in accounts/hr_import.py and the README."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Path of the CSV or XLSX file.")
        parser.add_argument("--organisation", required=True, help="Slug of the organisation (municipality).")
        parser.add_argument("--apply", action="store_true", help="Write the changes (all or nothing).")

    def handle(self, *args, file: str, organisation: str, apply: bool, **options) -> None:
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"Unknown organisation '{organisation}'.")
        path = Path(file)
        if not path.exists():
            raise CommandError(f"File not found: {path}")
        try:
            with path.open("rb") as handle:
                rows = hr_import.read_rows(handle, path.name)
        except hr_import.ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        plan = hr_import.plan_import(org, rows, apply=apply)
        for error in plan.errors:
            self.stderr.write(f"line {error.line}: {error.message}")
        summary = (
            f"departments: {len(plan.departments_created)} new, {len(plan.departments_updated)} changed; "
            f"employees: {len(plan.users_created)} new, {len(plan.users_updated)} changed, {plan.users_unchanged} unchanged"
        )
        if plan.errors:
            raise CommandError(f"{len(plan.errors)} errors; nothing was imported.")
        if plan.applied:
            self.stdout.write(self.style.SUCCESS(f"Imported. {summary}"))
        else:
            self.stdout.write(f"Dry run (nothing written; add --apply to import). {summary}")
