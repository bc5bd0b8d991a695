"""Generated documents: iCalendar invites and feeds, and the certificate of participation (PDF)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.calendar import Entry, ics
from training.models import Enrolment, TrainingSession


def _entry(session: TrainingSession, *, cancelled: bool = False) -> Entry:
    url = settings.SITE_URL + reverse("training:session_detail", args=[session.pk])
    return Entry(
        uid=f"training-session-{session.pk}",
        summary=session.module.title,
        start=session.starts_at,
        end=session.ends_at,
        location=", ".join(part for part in (session.location, session.online_url) if part),
        url=url,
        description="\n\n".join(part for part in (session.module.description, url) if part),
        status="CANCELLED" if cancelled else "CONFIRMED",
    )


def invite_ics(enrolment: Enrolment) -> bytes:
    """The calendar invite of one enrolment."""
    cancelled = enrolment.status == Enrolment.Status.CANCELLED
    return ics(enrolment.session.module.title, [_entry(enrolment.session, cancelled=cancelled)], method="PUBLISH")


def feed_ics(sessions: Iterable[TrainingSession]) -> bytes:
    """A personal feed: every session the person holds a seat in or trains."""
    return ics(_("Trainings"), (_entry(session) for session in sessions))


def certificate_pdf(enrolment: Enrolment) -> bytes:
    """A one-page certificate of participation (training/certificate.html), in the language of the request."""
    from core.pdf import render_to_pdf

    session = enrolment.session
    module = session.module
    return render_to_pdf(
        "training/certificate.html",
        {
            "enrolment": enrolment,
            "session": session,
            "module": module,
            "day": timezone.localtime(session.starts_at).date(),
        },
        title=_("Certificate of participation"),
        subject=_("%(name)s took part in the training %(module)s")
        % {"name": enrolment.user.full_name, "module": module.title},
        author=module.organisation.display_legal_name,
        organisation=module.organisation,
    )
