"""The retention period: reporter details and free texts of long-closed reports erased."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.models import (
    DataLeak,
    DataLeakEvent,
)
from incidents.services.common import add_event


def dataleak_purge_details(*, now: datetime.datetime | None = None) -> int:
    """Erase the reporter's details and free texts of reports closed longer ago than the retention period.

    The register's facts (type, dates, department, kinds of data, numbers,
    assessment, decisions, notifications) remain. Notes and attachments go;
    the timeline keeps status changes and decisions but forgets the reporter.
    """
    from accounts.models import Organisation

    now = now or timezone.now()
    ids = []
    # Each organisation's own retention period (its setting, or the global default).
    ended = Q(closed_at__isnull=False) | Q(no_leak_at__isnull=False)
    for organisation in Organisation.objects.filter(
        pk__in=DataLeak.objects.filter(ended, details_erased_at__isnull=True).values("organisation_id")
    ):
        cutoff = now - datetime.timedelta(days=organisation.retention_days)
        ids += list(
            DataLeak.objects.filter(
                Q(closed_at__lt=cutoff) | Q(no_leak_at__lt=cutoff),
                organisation=organisation,
                details_erased_at__isnull=True,
            ).values_list("pk", flat=True)
        )
    for leak_id in ids:
        with transaction.atomic():
            leak = DataLeak.objects.select_for_update().get(pk=leak_id)
            reporters = [pk for pk in (leak.reported_by_id, leak.on_behalf_of_id) if pk]
            for name in DataLeak.ERASED_AT_RETENTION:
                setattr(leak, name, None if DataLeak._meta.get_field(name).is_relation else "")
            leak.details_erased_at = now
            leak.save()
            for attachment in leak.attachments.all():
                attachment.file.delete(save=False)
                attachment.delete()
            leak.events.filter(
                kind__in=[DataLeakEvent.Kind.NOTE, DataLeakEvent.Kind.REPORTED, DataLeakEvent.Kind.ADDITION]
            ).delete()
            leak.events.filter(actor_id__in=reporters).update(actor=None)
            add_event(
                leak, None, DataLeakEvent.Kind.ERASURE, _("Reporter details and free texts erased (retention period).")
            )
    return len(ids)
