"""Sending the quarterly topic mailing to every employee, every copy recorded as what it is.

``mailing_start`` records a :class:`MailingRecipient` row per active employee
who did not opt out (unique per mailing and user) and queues ``MAILING_DELIVERY_RUNS``
delivery runs, one per worker that should share the mailing.
``mailing_deliver`` claims pending rows a chunk at a time (an UPDATE that only
takes rows still pending, so two workers never take the same row), renders
once per department and language, and for each copy marks the row *handed over*,
hands the mail to the server and marks it *sent* only once the server accepted it
(its 250 to the message's data). A server that drops the connection or answers
4xx is tried again on a new connection; a 5xx refusal marks the copy *failed*.

A worker that dies (SIGKILL, out of memory, a host restart) leaves the rest of its
claim in "sending" and at most one copy "handed over": whether the server took
that one nobody knows. A live run refreshes its claim every few seconds; a claim not
refreshed for ``MAILING_STALE_CLAIM_SECONDS`` belongs to a dead run, and
``mailings_resume_stalled`` (beat, every ``MAILING_RESUME_SECONDS``) returns both
kinds to pending and queues a new run, without anyone acting. The handed-over copy is
sent again: it carries a Message-ID fixed for one mailing and one recipient, so if the
server had taken it after all, the second copy is recognisably the same message (mail
clients and many servers drop the repeat). So nobody misses the mailing, and at most
one person per dead run may see it twice. Until it is accepted on the later try the
officer's panel counts it as unknown. The officer sees a stalled mailing and can
resume it at once, and can send the failed copies again.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import time
import uuid
from collections.abc import Iterator
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Department, User
from accounts.unsubscribe import unsubscribe_headers, unsubscribe_url
from core import outbox
from core.mail import build_message
from programme.models import MailingRecipient, QuarterlyMailing
from programme.services import current_ambassadors, mailing_render

logger = logging.getLogger(__name__)

CHUNK = 250
INSERT_BATCH = 2000
_UNSUBSCRIBE_MARK = "https://unsubscribe.invalid/__recipient__"
# How often one copy is handed over again on a fresh connection after the server dropped it or answered 4xx.
HANDOVER_TRIES = 3
OPEN = (
    MailingRecipient.Status.PENDING,
    MailingRecipient.Status.SENDING,
    MailingRecipient.Status.HANDED_OVER,
)


def _recipients(mailing: QuarterlyMailing) -> Iterator[int]:
    return (
        User.objects.filter(organisation_id=mailing.organisation_id, is_active=True, receives_topic_mailings=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=INSERT_BATCH)
    )


def mailing_start(*, mailing: QuarterlyMailing) -> int:
    """Record every recipient (once, whatever happens twice) and queue a delivery run. Returns the new rows."""
    QuarterlyMailing.objects.filter(pk=mailing.pk, started_at__isnull=True).update(started_at=timezone.now())
    created = 0
    batch: list[MailingRecipient] = []
    for user_id in _recipients(mailing):
        batch.append(MailingRecipient(mailing_id=mailing.pk, user_id=user_id))
        if len(batch) >= INSERT_BATCH:
            created += len(MailingRecipient.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    if batch:
        created += len(MailingRecipient.objects.bulk_create(batch, ignore_conflicts=True))
    mailing_queue_run(mailing=mailing, runs=settings.MAILING_DELIVERY_RUNS)
    return created


def mailing_queue_run(*, mailing: QuarterlyMailing, runs: int = 1) -> None:
    """Queue ``runs`` delivery runs; each claims its own chunks, so as many workers share the mailing."""
    with transaction.atomic():
        for _ in range(max(1, runs)):
            outbox.enqueue(
                "programme.tasks.deliver_mailing",
                key=f"mailing:{mailing.pk}:run:{uuid.uuid4().hex}",
                mailing_id=mailing.pk,
            )


def mailing_resend_failed(*, mailing: QuarterlyMailing) -> int:
    count = MailingRecipient.objects.filter(mailing=mailing, status=MailingRecipient.Status.FAILED).update(
        status=MailingRecipient.Status.PENDING, error=""
    )
    if count:
        QuarterlyMailing.objects.filter(pk=mailing.pk).update(sent_at=None)
        mailing_queue_run(mailing=mailing)
    return count


def _claim(mailing_id: int) -> tuple[str, list[MailingRecipient] | None]:
    """The next chunk of pending copies, claimed for this run: ``None`` when no copy is pending any more.

    The rows are picked with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL), so runs side by side take different chunks
    instead of queueing on the same rows; the UPDATE takes only rows still pending, so where the database cannot skip
    locked rows (SQLite) a run that lost the race gets an empty chunk, and tries again rather than ending."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        pending = MailingRecipient.objects.filter(
            mailing_id=mailing_id, status=MailingRecipient.Status.PENDING
        ).order_by("pk")
        ids = list(pending.select_for_update(skip_locked=True).values_list("pk", flat=True)[:CHUNK])
        if not ids:
            if pending.exists():
                return token, []  # every pending row is being claimed by another run right now
            return token, None
        MailingRecipient.objects.filter(pk__in=ids, status=MailingRecipient.Status.PENDING).update(
            status=MailingRecipient.Status.SENDING, claim=token, claimed_at=timezone.now()
        )
    claimed = list(
        MailingRecipient.objects.filter(claim=token, status=MailingRecipient.Status.SENDING)
        .select_related("user")
        .only("id", "user__id", "user__email", "user__language", "user__department_id")
    )
    return token, claimed


def _stale_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.MAILING_STALE_CLAIM_SECONDS)


def _heartbeat_seconds() -> float:
    """How often a live run refreshes its claim: well within the stale window."""
    return max(0.2, settings.MAILING_STALE_CLAIM_SECONDS / 4)


def _release_stale_claims(mailing_id: int) -> int:
    """Claimed and handed-over copies of runs that died go back to pending (a handed-over one is sent again)."""
    return MailingRecipient.objects.filter(
        mailing_id=mailing_id,
        status__in=[MailingRecipient.Status.SENDING, MailingRecipient.Status.HANDED_OVER],
        claimed_at__lt=_stale_before(),
    ).update(status=MailingRecipient.Status.PENDING, claim="")


def mailing_stalled(mailing: QuarterlyMailing, progress: dict[str, int] | None = None) -> bool:
    """Started, not finished, copies left, and no run has shown a sign of life for the stale window."""
    if mailing.started_at is None or mailing.sent_at is not None:
        return False
    if progress is not None and not (progress["pending"] or progress["unknown"]):
        return False
    if mailing.started_at >= _stale_before():
        return False
    rows = MailingRecipient.objects.filter(mailing=mailing)
    live = rows.filter(
        status__in=[MailingRecipient.Status.SENDING, MailingRecipient.Status.HANDED_OVER],
        claimed_at__gte=_stale_before(),
    ).exists()
    recent = rows.filter(status=MailingRecipient.Status.SENT, sent_at__gte=_stale_before()).exists()
    left = rows.filter(status__in=OPEN).exists()
    return left and not live and not recent


def mailing_resume(*, mailing: QuarterlyMailing) -> int:
    """Take back the claims of dead runs and queue a new run; returns how many copies are left to send."""
    _release_stale_claims(mailing.pk)
    left = MailingRecipient.objects.filter(mailing=mailing, status__in=OPEN).count()
    if left:
        mailing_queue_run(mailing=mailing, runs=settings.MAILING_DELIVERY_RUNS)
    return left


def mailings_resume_stalled() -> int:
    """Beat: resume every mailing whose runs died; returns how many were resumed."""
    candidates = QuarterlyMailing.objects.filter(
        started_at__isnull=False, sent_at__isnull=True, started_at__lt=_stale_before()
    )
    resumed = 0
    for mailing in candidates:
        if mailing_stalled(mailing):
            left = mailing_resume(mailing=mailing)
            logger.warning("mailing %s stalled with %s copies left: resumed", mailing.pk, left)
            resumed += 1
    return resumed


def mailing_message_id(mailing: QuarterlyMailing, user: User) -> str:
    """The Message-ID of ``user``'s copy: the same every time it is handed over, so a repeat is recognisable."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<mailing-{mailing.pk}-{user.pk}@{domain}>"


def mailing_message(
    *, mailing: QuarterlyMailing, rendered: tuple[str, str, str], user: User, connection=None
) -> EmailMultiAlternatives:
    """The copy ``user`` receives: one rendering (see ``mailing_render``) made personal with their unsubscribe link.

    The delivery sends exactly this; the preview shows exactly this.
    """
    subject, text, html = rendered
    personal = unsubscribe_url(user, "topic_mailings")
    return build_message(
        subject,
        text.replace(_UNSUBSCRIBE_MARK, personal),
        html.replace(_UNSUBSCRIBE_MARK, personal),
        [user.email],
        organisation=mailing.organisation,
        headers={
            **unsubscribe_headers(user, "topic_mailings", personal),
            "Message-ID": mailing_message_id(mailing, user),
        },
        connection=connection,
    )


def _permanent(exc: Exception) -> bool:
    """A refusal that another try will not change (5xx, a refused address); anything else is worth a new try."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return not isinstance(exc, OSError | smtplib.SMTPException)


def _reconnect(connection) -> None:
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - the old connection is gone either way
        connection.connection = None
    connection.open()


def hand_over(message: EmailMultiAlternatives, connection) -> str:
    """Give one message to the mail server; "" once it accepted it, else the error's name.

    A dropped connection, a timeout or a 4xx answer: tried again on a new connection, ``HANDOVER_TRIES`` times.
    """
    error = ""
    for attempt in range(HANDOVER_TRIES):
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 - one bad address or a dropped connection must not stop the batch
            error = type(exc).__name__
            if _permanent(exc) or attempt == HANDOVER_TRIES - 1:
                return error
            time.sleep(0.2 * (attempt + 1))
            try:
                _reconnect(connection)
            except Exception as reconnect_error:  # noqa: BLE001 - the server is away: the next try says so
                error = type(reconnect_error).__name__
        else:
            return ""
    return error


def mailing_preview_message(
    *, mailing: QuarterlyMailing, department: Department | None, language: str, user: User
) -> EmailMultiAlternatives:
    """The message an employee of ``department`` gets, addressed to ``user`` (the officer looking)."""
    rendered = mailing_render(
        mailing=mailing, department=department, language=language, unsubscribe_url=_UNSUBSCRIBE_MARK
    )
    return mailing_message(mailing=mailing, rendered=rendered, user=user)


def mailing_deliver(*, mailing_id: int, chunk_limit: int | None = None) -> int:
    """Send pending copies until none is left (or ``chunk_limit`` chunks); returns how many were sent."""
    mailing = QuarterlyMailing.objects.select_related("organisation").get(pk=mailing_id)
    _release_stale_claims(mailing_id)
    departments = {d.pk: d for d in Department.objects.filter(organisation_id=mailing.organisation_id)}
    ambassadors = current_ambassadors(mailing.organisation_id)
    rendered: dict[tuple[int | None, str], tuple[str, str, str]] = {}
    sent_total = 0
    chunks = 0
    connection = get_connection()
    connection.open()
    heartbeat = _heartbeat_seconds()
    try:
        while chunk_limit is None or chunks < chunk_limit:
            token, claimed = _claim(mailing_id)
            if claimed is None:
                # Nothing pending: take back what dead runs left claimed or handed over, if their claims went
                # stale meanwhile, and send those too; else end (beat resumes what goes stale later).
                if _release_stale_claims(mailing_id):
                    continue
                break
            if not claimed:
                # Another run took these rows first: take the next chunk (or find that none is left).
                time.sleep(0.05)
                continue
            chunks += 1
            beat_at = time.monotonic()
            for recipient in claimed:
                if time.monotonic() - beat_at >= heartbeat:
                    # A sign of life: the rest of this claim is not taken for a dead run's.
                    MailingRecipient.objects.filter(
                        claim=token,
                        status__in=[MailingRecipient.Status.SENDING, MailingRecipient.Status.HANDED_OVER],
                    ).update(claimed_at=timezone.now())
                    beat_at = time.monotonic()
                user = recipient.user
                key = (user.department_id, user.language or settings.LANGUAGE_CODE)
                if key not in rendered:
                    rendered[key] = mailing_render(
                        mailing=mailing,
                        department=departments.get(user.department_id),
                        language=key[1],
                        unsubscribe_url=_UNSUBSCRIBE_MARK,
                        ambassadors=ambassadors,
                    )
                message = mailing_message(mailing=mailing, rendered=rendered[key], user=user, connection=connection)
                # Handed over, not yet sent: a crash from here on leaves this one copy unknown, and it is sent
                # again (same Message-ID). Only while the row is still in this run's claim: if it was taken back
                # (this run was presumed dead), another run has it, and this run leaves the rest of the chunk alone.
                handed = MailingRecipient.objects.filter(
                    pk=recipient.pk, claim=token, status=MailingRecipient.Status.SENDING
                ).update(
                    status=MailingRecipient.Status.HANDED_OVER, handovers=F("handovers") + 1, claimed_at=timezone.now()
                )
                if not handed:
                    break
                error = hand_over(message, connection)
                if error:
                    MailingRecipient.objects.filter(
                        pk=recipient.pk, claim=token, status=MailingRecipient.Status.HANDED_OVER
                    ).update(status=MailingRecipient.Status.FAILED, claim="", sent_at=None, error=error)
                    continue
                sent_total += 1
                # Accepted: sent. Also when this run was presumed dead meanwhile, as long as no other run took
                # the copy yet; if one did, it sends it again (the one repeat a presumed-dead run can cause).
                marked = (
                    MailingRecipient.objects.filter(pk=recipient.pk)
                    .filter(
                        Q(claim=token, status=MailingRecipient.Status.HANDED_OVER)
                        | Q(status=MailingRecipient.Status.PENDING)
                    )
                    .update(status=MailingRecipient.Status.SENT, sent_at=timezone.now(), claim="", error="")
                )
                if not marked:
                    break
    finally:
        connection.close()
    if not MailingRecipient.objects.filter(mailing_id=mailing_id, status__in=OPEN).exists():
        QuarterlyMailing.objects.filter(pk=mailing_id, sent_at__isnull=True).update(sent_at=timezone.now())
    logger.info("mailing %s: %s sent in %s chunks", mailing_id, sent_total, chunks)
    return sent_total


def mailing_test_send(*, mailing: QuarterlyMailing, user: User) -> None:
    """A copy to the officer themselves, as their own department would get it; not recorded as a delivery."""
    subject, text, html = mailing_render(
        mailing=mailing,
        department=user.department,
        language=user.language or settings.LANGUAGE_CODE,
        unsubscribe_url=unsubscribe_url(user, "topic_mailings"),
    )
    build_message(f"[TEST] {subject}", text, html, [user.email], organisation=mailing.organisation).send()


def due_mailings(today: datetime.date) -> list[QuarterlyMailing]:
    """This quarter's mailings that have not been started, once the quarter has begun."""
    quarter = (today.month - 1) // 3 + 1
    return list(QuarterlyMailing.objects.filter(year=today.year, quarter=quarter, started_at__isnull=True))
