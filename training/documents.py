"""Generated documents: iCalendar invites and feeds, and the certificate of participation (PDF)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

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
    """A one-page certificate of participation, in the language of the request."""
    session = enrolment.session
    module = session.module
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(_("Certificate of participation"))
    pdf.setAuthor(str(module.organisation))
    pdf.setLineWidth(3)
    pdf.setStrokeColorRGB(0.05, 0.27, 0.55)
    pdf.rect(1.2 * cm, 1.2 * cm, width - 2.4 * cm, height - 2.4 * cm)
    centre = width / 2
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawCentredString(centre, height - 4.5 * cm, _("Certificate of participation"))
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(centre, height - 6.5 * cm, _("This certifies that"))
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawCentredString(centre, height - 8.2 * cm, enrolment.user.full_name)
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(centre, height - 9.8 * cm, _("took part in the training"))
    pdf.setFont("Helvetica-Bold", 20)
    pdf.drawCentredString(centre, height - 11.4 * cm, module.title)
    pdf.setFont("Helvetica", 13)
    day = date_format(timezone.localtime(session.starts_at).date(), "j F Y")
    details = _("on %(date)s, given by %(trainer)s") % {"date": day, "trainer": session.trainer_name}
    pdf.drawCentredString(centre, height - 13 * cm, details)
    pdf.setFont("Helvetica", 11)
    pdf.drawCentredString(
        centre,
        2.5 * cm,
        _("Information security and privacy ambassador programme · %(organisation)s")
        % {"organisation": module.organisation},
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
