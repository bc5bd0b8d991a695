"""Taking in a report: its reference, the report itself (stored once) and what the reporter adds later."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import data_leak_handlers
from core import outbox
from core.submissions import store_once
from incidents.models import (
    AffectedEstimate,
    DataKind,
    DataLeak,
    DataLeakAccess,
    DataLeakAttachment,
    DataLeakCounter,
    DataLeakEvent,
)
from incidents.services.alerts import NOTIFY_TASK, ambassador_recipients, enqueue_mail
from incidents.services.common import access_record, add_event, log_change


def allocate_reference(*, organisation_id: int, year: int) -> tuple[int, str]:
    """The next number of the organisation's year, e.g. (42, "DL-2026-0042").

    The counter row is locked (SELECT ... FOR UPDATE) until the caller's
    transaction ends, so two reports saved at the same moment never get the
    same number; the unique constraints are the last line of defence.
    """
    with transaction.atomic():  # a savepoint inside the caller's transaction, a transaction on its own
        # The year's first reports may arrive at the same moment: INSERT ... ON CONFLICT DO NOTHING makes the row
        # exist without either failing on the unique constraint, then both queue for its lock.
        DataLeakCounter.objects.bulk_create(
            [DataLeakCounter(organisation_id=organisation_id, year=year)], ignore_conflicts=True
        )
        counter = DataLeakCounter.objects.select_for_update().get(organisation_id=organisation_id, year=year)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
    return counter.last_number, f"DL-{year}-{counter.last_number:04d}"


@transaction.atomic
def dataleak_report(
    *,
    reporter: User,
    data: dict[str, Any],
    attachments: Iterable[Any] = (),
    ip: str | None = None,
) -> tuple[DataLeak, bool]:
    """Save a report at once and queue the mails. Returns (report, created).

    A re-post of the same form (same idempotency token) returns the report
    saved the first time, so a double submit stores once (core.submissions.store_once;
    someone else's token is never answered with their report).
    """
    token = data.get("idempotency_token")
    return store_once(
        token,
        user=reporter,
        create=lambda: _dataleak_report_create(
            reporter=reporter, data=data, attachments=attachments, ip=ip, token=token
        ),
    )


def _dataleak_report_create(
    *, reporter: User, data: dict[str, Any], attachments: Iterable[Any], ip: str | None, token: Any
) -> DataLeak:
    # The report keeps the form's token for the API's and the bench's look-ups; whether this submission was
    # stored before is store_once's to decide, so a token already on a report (someone else's) gets a new one.
    if not token or DataLeak.objects.filter(idempotency_token=token).exists():
        token = uuid.uuid4()
    now = timezone.now()
    year = timezone.localtime(now).year
    number, reference = allocate_reference(organisation_id=reporter.organisation_id, year=year)
    on_behalf_name = (data.get("on_behalf_of_name") or "").strip()
    on_behalf_email = (data.get("on_behalf_of_email") or "").strip().lower()
    on_behalf_user = None
    if on_behalf_email:
        on_behalf_user = User.objects.filter(
            organisation_id=reporter.organisation_id, email__iexact=on_behalf_email, is_active=True
        ).first()
    # What the reporter told, as the report form (or the API, through that form) cleaned it.
    values = {name: data[name] for name in DataLeak.INTAKE_FIELDS if name in data}
    for name in ("affected_estimate", "ongoing"):
        values[name] = values.get(name) or DataLeak._meta.get_field(name).default
    values["data_kinds"] = list(values.get("data_kinds") or [])
    # The contact is the colleague reported for, if any, else the reporter.
    values["contact_email"] = on_behalf_email if on_behalf_name else (values.get("contact_email") or reporter.email)
    leak = DataLeak(
        **values,
        organisation_id=reporter.organisation_id,
        reference=reference,
        year=year,
        number=number,
        idempotency_token=token,
        reported_by=reporter,
        on_behalf_of=on_behalf_user,
        on_behalf_of_name=on_behalf_name,
        contact_name=on_behalf_name or reporter.full_name,
        # The 72 hours run from the discovery as the reporter gave it (the EDPB's conservative reading), never
        # from a moment after the report was saved.
        aware_at=min(data.get("discovered_at") or now, now),
        created_at=now,
    )
    _carry_intake_into_assessment(leak)
    leak.save()

    for uploaded in attachments:
        DataLeakAttachment.objects.create(
            leak=leak, file=uploaded, original_name=uploaded.name[:255], size=uploaded.size or 0, uploaded_by=reporter
        )
    text = _("Reported by %(name)s.") % {"name": reporter.full_name}
    if on_behalf_name:
        text = _("Reported by %(name)s on behalf of %(colleague)s.") % {
            "name": reporter.full_name,
            "colleague": on_behalf_name,
        }
    add_event(leak, reporter, DataLeakEvent.Kind.REPORTED, text)
    access_record(user=reporter, leak=leak, action=DataLeakAccess.Action.CREATE, ip=ip)

    confirm_to = {reporter.pk}
    if on_behalf_user is not None:
        confirm_to.add(on_behalf_user.pk)
    for user_id in sorted(confirm_to):
        enqueue_mail(leak, user_id, "confirmation")
    for officer in data_leak_handlers(leak.organisation_id, privacy_officers_only=True):
        enqueue_mail(leak, officer.pk, "officer_alert")
    for ambassador in ambassador_recipients(leak):
        if ambassador.pk != reporter.pk:
            enqueue_mail(leak, ambassador.pk, "ambassador_alert")
    return leak


# The reporter's rough estimate as the assessment's minimum and maximum (the officer refines them).
_ESTIMATE_RANGES = {
    AffectedEstimate.ONE: (1, 1),
    AffectedEstimate.FEW: (2, 10),
    AffectedEstimate.TENS: (11, 100),
    AffectedEstimate.HUNDREDS: (101, 1000),
    AffectedEstimate.MANY: (1001, None),
}


def _carry_intake_into_assessment(leak: DataLeak) -> None:
    """What the reporter already said is the first answer of the assessment, so it is never asked again."""
    leak.personal_data_categories = [kind for kind in leak.data_kinds if kind != DataKind.UNKNOWN]
    low, high = _ESTIMATE_RANGES.get(leak.affected_estimate, (None, None))
    if low is not None and low == high:
        leak.persons_exact = low
    else:
        leak.persons_min, leak.persons_max = low, high
    leak.measures_taken = leak.actions_taken


@transaction.atomic
def dataleak_add_information(
    *, leak: DataLeak, actor: User, text: str, attachments: Iterable[Any] = ()
) -> DataLeakEvent:
    """The reporter, or an ambassador of the report's department as first point of contact, adds to the report
    after it was sent; the timeline and the access log keep who added it, and the Privacy Officers are alerted
    after commit."""
    files = list(attachments)
    text = (text or "").strip()
    if not text and not files:
        raise ValidationError(_("Write something or add a file."))
    names = []
    for uploaded in files:
        DataLeakAttachment.objects.create(
            leak=leak, file=uploaded, original_name=uploaded.name[:255], size=uploaded.size or 0, uploaded_by=actor
        )
        names.append(uploaded.name[:255])
    body = text
    if names:
        body += ("\n" if body else "") + _("Attachments: %(names)s") % {"names": ", ".join(names)}
    event = add_event(leak, actor, DataLeakEvent.Kind.ADDITION, body)
    for officer in data_leak_handlers(leak.organisation_id, privacy_officers_only=True):
        outbox.enqueue(
            NOTIFY_TASK,
            key=f"dataleak-{leak.pk}-addition-{event.pk}-{officer.pk}",
            leak_id=leak.pk,
            user_id=officer.pk,
            kind="addition",
            event_id=event.pk,
        )
    by_reporter = actor.pk in (leak.reported_by_id, leak.on_behalf_of_id)
    log_change(leak, actor, "addition by the reporter" if by_reporter else "addition by an ambassador")
    return event
