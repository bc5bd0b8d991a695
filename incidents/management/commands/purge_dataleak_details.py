from django.conf import settings
from django.core.management.base import BaseCommand

from incidents.services.retention import dataleak_purge_details


class Command(BaseCommand):
    help = "Erase the reporter's details and free texts of data leaks closed longer than DATALEAK_RETENTION_DAYS ago."

    def handle(self, *args, **options) -> None:
        count = dataleak_purge_details()
        self.stdout.write(f"{count} report(s) erased (retention {settings.DATALEAK_RETENTION_DAYS} days).")
