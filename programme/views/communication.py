"""The communication plan: planned messages and the quarterly topic mailings."""

from __future__ import annotations

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.permissions import can_manage_programme, can_view_communication
from core.deletion import confirm_delete, confirmation_page
from core.formatting import number
from core.submissions import once_per_submission
from programme import delivery, services
from programme.forms import MailingForm, MessageForm, PreviewForm
from programme.models import MailingRecipient, Message, QuarterlyMailing
from programme.views.common import (
    check_quarter,
    form_page,
    get_mailing,
    get_message,
    get_topic,
    readable_topics,
)


@require_GET
@role_required(can_view_communication)
def communication(request: HttpRequest, year: int) -> HttpResponse:
    planned = (
        Message.objects.visible_to(request.user)
        .filter(topic__plan__year=year, topic__in=readable_topics(request.user))
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
        try:
            services.message_save(
                topic=message.topic,
                message=message,
                data=form.message_data(),
                reason=form.cleaned_data.get("reason", ""),
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The message has been saved."))
            return redirect("programme:topic", pk=message.topic_id)
    return form_page(
        request,
        form,
        title=_("Edit message"),
        cancel=reverse("programme:topic", args=[message.topic_id]),
        submit=_("Save message"),
        intro=_("This message has been sent: an edit is a correction with a reason, kept in its history.")
        if message.is_fact
        else None,
        corrections=message.corrections.select_related("corrected_by"),
    )


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
def message_delete(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_message(request, pk)
    topic_url = reverse("programme:topic", args=[message.topic_id])
    return confirm_delete(
        request,
        delete=lambda: services.message_delete(message=message),
        done=_("The message has been deleted."),
        next_url=topic_url,
        title=_("Delete message"),
        question=_("The message planned on %(date)s (%(channel)s) is deleted from the communication plan.")
        % {"date": date_format(message.planned_on), "channel": message.get_channel_display()},
        cancel_url=topic_url,
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
    check_quarter(quarter)
    mailing = QuarterlyMailing.objects.visible_to(request.user).filter(year=year, quarter=quarter).first()
    if mailing is not None and mailing.started_at is not None:
        messages.error(request, services.MailingStartedError().messages[0])
        return redirect("programme:mailing_preview", year=year, quarter=quarter)
    form = MailingForm(request.POST or None, instance=mailing)
    if request.method == "POST" and form.is_valid():
        try:
            services.mailing_save(
                organisation=request.user.organisation,
                year=year,
                quarter=quarter,
                data={"subject": form.cleaned_data["subject"], "body": form.cleaned_data["body"]},
            )
        except services.MailingStartedError as error:
            messages.error(request, error.messages[0])
            return redirect("programme:mailing_preview", year=year, quarter=quarter)
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
    check_quarter(quarter)
    mailing = get_object_or_404(QuarterlyMailing.objects.visible_to(request.user), year=year, quarter=quarter)
    form = PreviewForm(request.GET or None, organisation_id=request.user.organisation_id)
    rendered = None
    if form.is_valid():
        message = _preview_message(request, mailing, form)
        rendered = {
            "subject": message.subject,
            "from_email": message.from_email,
            "reply_to": ", ".join(message.reply_to),
            "to": ", ".join(message.to),
            "text": message.body,
            "has_html": any(kind == "text/html" for _content, kind in message.alternatives),
            "html_url": f"{reverse('programme:mailing_preview_html', args=[year, quarter])}?{request.GET.urlencode()}",
            "department": form.cleaned_data["department"],
        }
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


def _preview_message(request: HttpRequest, mailing: QuarterlyMailing, form: PreviewForm):
    # The very message the delivery builds (sender, subject, both parts), addressed to the viewer.
    return delivery.mailing_preview_message(
        mailing=mailing, department=form.cleaned_data["department"], language=request.LANGUAGE_CODE, user=request.user
    )


@require_GET
@role_required(can_view_communication)
@xframe_options_sameorigin
@csp_replace(
    {
        "default-src": ["'none'"],
        "script-src": ["'none'"],
        "style-src": ["'unsafe-inline'"],
        "img-src": ["data:"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'none'"],
        "sandbox": True,
    }
)
def mailing_preview_html(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    """The HTML part of the previewed message, as a mail client shows it: framed in the preview page, no scripts."""
    mailing = get_mailing(request, year, quarter)
    form = PreviewForm(request.GET or None, organisation_id=request.user.organisation_id)
    if not form.is_valid():
        raise Http404
    message = _preview_message(request, mailing, form)
    html = next((content for content, kind in message.alternatives if kind == "text/html"), "")
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@role_required(can_manage_programme)
def mailing_cancel(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    """Withdraw a mailing before it is sent; refused once sending started."""
    mailing = get_mailing(request, year, quarter)
    refusal = services.MailingStartedError().messages[0] if mailing.started_at is not None else None
    if request.method == "POST" and refusal is None:
        try:
            services.mailing_cancel(mailing=mailing, user=request.user)
        except services.MailingStartedError as error:
            refusal = error.messages[0]
        else:
            messages.success(request, _("The mailing has been cancelled; it will not be sent."))
            return redirect("programme:communication", year=year)
    if request.method == "POST":
        messages.error(request, refusal)
        return redirect("programme:mailing_preview", year=year, quarter=quarter)
    return confirmation_page(
        request,
        title=_("Cancel the mailing Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year},
        question=_("The mailing's text is removed and the mailing is not sent at the start of the quarter."),
        cancel_url=reverse("programme:mailing_preview", args=[year, quarter]),
        submit_label=_("Yes, cancel the mailing"),
        refusal=refusal,
    )


@require_POST
@role_required(can_manage_programme)
def mailing_send(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    mailing = get_mailing(request, year, quarter)
    if mailing.started_at is not None:
        messages.info(request, _("This mailing is already being sent; nobody receives it twice."))
    else:
        count = delivery.mailing_start(mailing=mailing)
        messages.success(
            request,
            ngettext(
                "The mailing is being sent to %(count)s employee.",
                "The mailing is being sent to %(count)s employees.",
                count,
            )
            % {"count": number(count)},
        )
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
                "Sending resumed: %(count)s copy is left to send. A copy that was being handed over to the mail "
                "server when sending stopped is sent again with the same Message-ID.",
                "Sending resumed: %(count)s copies are left to send. A copy that was being handed over to the mail "
                "server when sending stopped is sent again with the same Message-ID.",
                count,
            )
            % {"count": count},
        )
    return redirect("programme:mailing_preview", year=year, quarter=quarter)
