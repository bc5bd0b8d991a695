"""The communication plan: planned messages and the quarterly topic mailings."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.permissions import can_manage_programme, can_view_communication
from core.submissions import once_per_submission
from programme import delivery, services
from programme.forms import MailingForm, MessageForm, PreviewForm
from programme.models import MailingRecipient, Message, QuarterlyMailing
from programme.views.common import (
    check_quarter,
    check_year,
    form_page,
    get_mailing,
    get_message,
    get_topic,
    readable_topics,
)


@require_GET
@role_required(can_view_communication)
def communication(request: HttpRequest, year: int) -> HttpResponse:
    check_year(year)
    topic_filter = {} if can_manage_programme(request.user) else {"topic__in": readable_topics(request.user)}
    planned = (
        Message.objects.visible_to(request.user)
        .filter(topic__plan__year=year, **topic_filter)
        .select_related("topic")
        .order_by("planned_on", "channel")
    )
    mailings = {m.quarter: m for m in QuarterlyMailing.objects.visible_to(request.user).filter(year=year)}
    return render(
        request,
        "programme/communication.html",
        {
            "year": year,
            "planned_messages": planned,
            "mailings": [(quarter, mailings.get(quarter)) for quarter in (1, 2, 3, 4)],
            "can_manage": can_manage_programme(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
@once_per_submission
def message_create(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_topic(request, pk)
    form = MessageForm(request.POST or None, topic=topic, initial={"planned_on": topic.starts_on})
    if request.method == "POST" and form.is_valid():
        services.message_save(topic=topic, data=form.cleaned_data)
        messages.success(request, _("The message has been planned."))
        return redirect("programme:topic", pk=topic.pk)
    return form_page(
        request,
        form,
        title=_("Plan a message for %(title)s") % {"title": topic.title},
        cancel=reverse("programme:topic", args=[topic.pk]),
        submit=_("Plan message"),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
def message_update(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_message(request, pk)
    form = MessageForm(request.POST or None, instance=message, topic=message.topic)
    if request.method == "POST" and form.is_valid():
        services.message_save(topic=message.topic, message=message, data=form.cleaned_data)
        messages.success(request, _("The message has been saved."))
        return redirect("programme:topic", pk=message.topic_id)
    return form_page(
        request,
        form,
        title=_("Edit message"),
        cancel=reverse("programme:topic", args=[message.topic_id]),
        submit=_("Save message"),
    )


@require_POST
@role_required(can_manage_programme)
def message_sent(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_message(request, pk)
    services.message_mark_sent(message=message)
    messages.success(request, _("The message is marked as sent."))
    return redirect("programme:topic", pk=message.topic_id)


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
def mailing_edit(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    check_year(year)
    check_quarter(quarter)
    mailing = QuarterlyMailing.objects.visible_to(request.user).filter(year=year, quarter=quarter).first()
    form = MailingForm(request.POST or None, instance=mailing)
    if request.method == "POST" and form.is_valid():
        services.mailing_save(
            organisation=request.user.organisation,
            year=year,
            quarter=quarter,
            data={"subject": form.cleaned_data["subject"], "body": form.cleaned_data["body"]},
        )
        messages.success(request, _("The mailing text has been saved."))
        return redirect("programme:mailing_preview", year=year, quarter=quarter)
    return form_page(
        request,
        form,
        title=_("Quarterly mailing Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year},
        cancel=reverse("programme:communication", args=[year]),
        submit=_("Save mailing"),
        intro=_(
            "Every employee receives this text at the start of the quarter, followed by the quarter's "
            "published topics for their department and the signature of their department's ambassador."
        ),
    )


@require_GET
@role_required(can_view_communication)
def mailing_preview(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    check_year(year)
    check_quarter(quarter)
    mailing = get_object_or_404(QuarterlyMailing.objects.visible_to(request.user), year=year, quarter=quarter)
    form = PreviewForm(request.GET or None, organisation_id=request.user.organisation_id)
    rendered = None
    if form.is_valid():
        subject, text, _html = services.mailing_render(
            mailing=mailing, department=form.cleaned_data["department"], language=request.LANGUAGE_CODE
        )
        rendered = {"subject": subject, "text": text, "department": form.cleaned_data["department"]}
    can_manage = can_manage_programme(request.user)
    progress = MailingRecipient.objects.filter(mailing=mailing).progress() if can_manage else None
    return render(
        request,
        "programme/mailing_preview.html",
        {
            "mailing": mailing,
            "form": form,
            "rendered": rendered,
            "can_manage": can_manage,
            "progress": progress,
            "stalled": can_manage and delivery.mailing_stalled(mailing, progress),
        },
    )


@require_POST
@role_required(can_manage_programme)
def mailing_send(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    mailing = get_mailing(request, year, quarter)
    if mailing.started_at is not None:
        messages.info(request, _("This mailing is already being sent; nobody receives it twice."))
    else:
        count = delivery.mailing_start(mailing=mailing)
        messages.success(request, _("The mailing is being sent to %(count)s employees.") % {"count": count})
    return redirect("programme:mailing_preview", year=year, quarter=quarter)


@require_POST
@role_required(can_manage_programme)
def mailing_test(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    mailing = get_mailing(request, year, quarter)
    delivery.mailing_test_send(mailing=mailing, user=request.user)
    messages.success(request, _("A test copy has been sent to %(email)s.") % {"email": request.user.email})
    return redirect("programme:mailing_preview", year=year, quarter=quarter)


@require_POST
@role_required(can_manage_programme)
def mailing_resend(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    mailing = get_mailing(request, year, quarter)
    count = delivery.mailing_resend_failed(mailing=mailing)
    messages.success(request, _("%(count)s failed copies are being sent again.") % {"count": count})
    return redirect("programme:mailing_preview", year=year, quarter=quarter)


@require_POST
@role_required(can_manage_programme)
def mailing_resume(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    """A mailing whose worker died: take back the dead run's claims and send the rest now."""
    mailing = get_mailing(request, year, quarter)
    if mailing.started_at is None or mailing.sent_at is not None:
        messages.info(request, _("This mailing has nothing left to send."))
    else:
        count = delivery.mailing_resume(mailing=mailing)
        messages.success(
            request,
            ngettext(
                "Sending resumed: %(count)s copy is left to send; nobody receives it twice.",
                "Sending resumed: %(count)s copies are left to send; nobody receives it twice.",
                count,
            )
            % {"count": count},
        )
    return redirect("programme:mailing_preview", year=year, quarter=quarter)
