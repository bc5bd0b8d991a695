"""Views of the incidents app: the handler's pages: the queue, a report's handling, the AP and data-subject notifications."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.permissions import (
    can_add_dataleak_information,
    can_correct_dataleak,
    can_handle_dataleak,
    can_handle_dataleaks,
    can_view_dataleak_attachments,
)
from core.listing import paginate_listing
from core.models import Correction
from incidents import services, state
from incidents.ap_form import ap_chapters, ap_pdf, missing_count
from incidents.ap_form import missing_mandatory as missing_mandatory_answers
from incidents.forms.filters import QueueFilterForm
from incidents.forms.handling import (
    APNotificationCorrectionForm,
    APNotificationForm,
    AssessmentForm,
    CloseForm,
    HandlingForm,
    InvolveAmbassadorForm,
    LetterForm,
    NoLeakForm,
    NoteForm,
    ReopenForm,
    SubjectNotificationCorrectionForm,
    SubjectNotificationForm,
)
from incidents.forms.intake import AdditionForm
from incidents.letters import build_letter, draft_letter, letter_docx, letter_language, letter_pdf
from incidents.models import (
    APNotification,
    DataLeak,
    SentLetter,
    SubjectNotification,
)
from incidents.views.common import Action, _get_attachment, _get_leak, _reporter_context

# --- the handler's pages ------------------------------------------------------------------------


# The columns the queue shows (the reports carry many long texts it does not need).
QUEUE_FIELDS = (
    "reference",
    "number",
    "created_at",
    "aware_at",
    "assessment_started_at",
    "closed_at",
    "no_leak_at",
    "ap_decision",
    "category",
    "department",
    "department__name",
    "assignee",
    "assignee__full_name",
    "assignee__email",
)


@role_required(can_handle_dataleaks)
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None, organisation_id=request.user.organisation_id, user=request.user)
    leaks = DataLeak.objects.visible_to(request.user).select_related("department", "assignee").only(*QUEUE_FIELDS)
    leaks = leaks.with_state()
    listing = paginate_listing(request, leaks, filters=form)
    return render(
        request,
        "incidents/queue.html",
        {"form": form, "page": listing.page, "show": form.show, "sort": listing.sort, "now": timezone.now()},
    )


def _detail_context(request: HttpRequest, leak: DataLeak, **forms) -> dict:
    handler = can_handle_dataleak(request.user, leak)
    context = {
        "leak": leak,
        "handler": handler,
        "corrector": can_correct_dataleak(request.user, leak),
        "transitions": state.allowed_names(leak),
        "now": timezone.now(),
        "attachments": list(leak.attachments.all()) if can_view_dataleak_attachments(request.user, leak) else [],
        "events": list(leak.events.select_related("actor")),
        **_reporter_context(request, leak),
    }
    if handler:
        context.update(
            handling_form=HandlingForm(leak=leak),
            note_form=NoteForm(),
            involve_form=InvolveAmbassadorForm(leak=leak),
            involved=list(leak.involved_ambassadors.all()),
            ap_notifications=list(leak.ap_notifications.select_related("recorded_by")),
            subject_notifications=list(leak.subject_notifications.all()),
            sent_letters=list(leak.sent_letters.all()),
            accesses=list(leak.accesses.select_related("user")[:100]),
            corrections=list(
                Correction.objects.of(leak, leak.ap_notifications.all(), leak.subject_notifications.all())
            ),
        )
    context.update(forms)
    return context


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, read="")
    return render(request, "incidents/detail.html", _detail_context(request, leak))


@require_POST
def handle(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True)
    if request.POST.get("action") == "start":
        try:
            services.dataleak_start_assessment(leak=leak, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("incidents:detail", pk=leak.pk)
        messages.success(request, _("The assessment has started."))
        return redirect("incidents:detail", pk=leak.pk)
    form = HandlingForm(request.POST, leak=leak)
    if form.is_valid():
        try:
            services.dataleak_assign(leak=leak, actor=request.user, assignee=form.cleaned_data["assignee"])
            services.dataleak_set_aware_at(
                leak=leak,
                actor=request.user,
                aware_at=form.cleaned_data["aware_at"],
                reason=form.cleaned_data["aware_reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("incidents:detail", pk=leak.pk)
        messages.success(request, _("Saved."))
        return redirect("incidents:detail", pk=leak.pk)
    return _detail_with(request, leak, handling_form=form)


@require_POST
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.dataleak_add_note(leak=leak, actor=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("The note has been added to the timeline."))
        return redirect("incidents:detail", pk=leak.pk)
    return _detail_with(request, leak, note_form=form)


def _detail_with(request: HttpRequest, leak: DataLeak, **forms) -> HttpResponse:
    return render(request, "incidents/detail.html", _detail_context(request, leak, **forms), status=400)


@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True, read="assessment")
    if leak.is_final:
        messages.error(request, _("This report is closed; it can no longer be changed."))
        return redirect("incidents:detail", pk=leak.pk)
    form = AssessmentForm(request.POST or None, instance=leak)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.ASSESSMENT_FIELDS}
        # The form's instance was changed by validation; the service compares with the database.
        try:
            services.dataleak_assess(
                leak=leak, actor=request.user, data=data, reason=form.cleaned_data["correction_reason"]
            )
        except ValidationError as exc:
            form.add_error("correction_reason", exc)
        else:
            messages.success(request, _("The assessment has been saved."))
            return redirect("incidents:detail", pk=leak.pk)
    return render(request, "incidents/assess.html", {"leak": leak, "form": form, "now": timezone.now()})


@require_http_methods(["GET", "POST"])
def ap_notification(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True, read="AP notification page")
    chapters = ap_chapters(leak)
    mandatory_missing = sum(chapter.missing_mandatory for chapter in chapters)
    form = APNotificationForm(
        request.POST or None, leak=leak, missing_mandatory=mandatory_missing, kind=request.GET.get("soort")
    )
    if request.method == "POST" and not leak.is_final and form.is_valid():
        try:
            services.dataleak_record_ap_notification(
                leak=leak,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                notified_at=form.cleaned_data["notified_at"],
                ap_reference=form.cleaned_data["ap_reference"],
                notes=form.cleaned_data["notes"],
                late_reason=form.cleaned_data["late_reason"],
                complete=form.cleaned_data["complete"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The notification to the AP has been recorded."))
            return redirect("incidents:detail", pk=leak.pk)
    return render(
        request,
        "incidents/ap_notification.html",
        {
            "leak": leak,
            "form": form,
            "chapters": chapters,
            "missing": missing_count(chapters),
            "missing_mandatory": mandatory_missing,
            "notifications": list(leak.ap_notifications.all()),
            "corrector": can_correct_dataleak(request.user, leak),
            "now": timezone.now(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def ap_notification_correct(request: HttpRequest, pk: int, notification_pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True, correct=True)
    notification = APNotification.objects.filter(leak=leak, pk=notification_pk).first()
    if notification is None:
        raise Http404
    notification.leak = leak
    form = APNotificationCorrectionForm(
        request.POST or None, instance=notification, missing_mandatory=missing_mandatory_answers(leak)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.dataleak_correct_ap_notification(
                notification=APNotification.objects.get(pk=notification.pk),
                actor=request.user,
                notified_at=form.cleaned_data["notified_at"],
                ap_reference=form.cleaned_data["ap_reference"],
                notes=form.cleaned_data["notes"],
                reason=form.cleaned_data["reason"],
                complete=form.cleaned_data["complete"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The correction has been recorded; the old value is kept in the report's history.")
            )
            return redirect("incidents:detail", pk=leak.pk)
    return render(
        request,
        "incidents/correct.html",
        {
            "leak": leak,
            "form": form,
            "title": _("Correct the notification to the AP"),
            "current": notification,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def subjects_correct(request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True, correct=True)
    record = SubjectNotification.objects.filter(leak=leak, pk=record_pk).first()
    if record is None:
        raise Http404
    record.leak = leak
    form = SubjectNotificationCorrectionForm(request.POST or None, instance=record, leak=leak)
    if request.method == "POST" and form.is_valid():
        try:
            services.dataleak_correct_subject_notification(
                record=SubjectNotification.objects.get(pk=record.pk),
                actor=request.user,
                channel=form.cleaned_data["channel"],
                informed_on=form.cleaned_data["informed_on"],
                number_informed=form.cleaned_data["number_informed"],
                notes=form.cleaned_data["notes"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The correction has been recorded; the old value is kept in the report's history.")
            )
            return redirect("incidents:detail", pk=leak.pk)
    return render(
        request,
        "incidents/correct.html",
        {"leak": leak, "form": form, "title": _("Correct the informing of the data subjects"), "current": record},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True, correct=True)
    if not leak.is_final:
        messages.error(request, _("This report is not closed."))
        return redirect("incidents:detail", pk=leak.pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.dataleak_reopen(leak=leak, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The report has been reopened."))
        return redirect("incidents:detail", pk=leak.pk)
    return render(
        request, "incidents/reopen.html", {"leak": leak, "form": form}, status=400 if request.method == "POST" else 200
    )


@require_http_methods(["GET", "POST"])
def add_information(request: HttpRequest, pk: int) -> HttpResponse:
    """The reporter adds information or attachments to their own report after sending it; an ambassador of its
    department does so as first point of contact (the same service, which records who added it)."""
    leak = _get_leak(request, pk)
    if not can_add_dataleak_information(request.user, leak):
        raise PermissionDenied
    form = AdditionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.dataleak_add_information(
            leak=leak,
            actor=request.user,
            text=form.cleaned_data["text"],
            attachments=form.cleaned_data.get("attachments") or [],
        )
        messages.success(request, _("Thank you. Your addition has been sent to the Privacy Officer."))
        return redirect("incidents:detail", pk=leak.pk)
    return render(
        request,
        "incidents/add_information.html",
        {"leak": leak, "form": form, **_reporter_context(request, leak)},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def involve_ambassador(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True)
    form = InvolveAmbassadorForm(request.POST, leak=leak)
    if form.is_valid():
        involve = request.POST.get("action") != "remove"
        services.dataleak_involve_ambassador(
            leak=leak, actor=request.user, ambassador=form.cleaned_data["ambassador"], involve=involve
        )
        messages.success(request, _("Saved."))
        return redirect("incidents:detail", pk=leak.pk)
    return _detail_with(request, leak, involve_form=form)


def ap_notification_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True, read="AP notification PDF", action=Action.EXPORT)
    response = HttpResponse(ap_pdf(leak), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{leak.reference}-melding-AP.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def subjects(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True, read="data-subject letter")
    posted = request.POST if request.method == "POST" else None
    action = request.POST.get("action", "record")
    form = SubjectNotificationForm(posted if action == "record" else None, leak=leak)
    letter_form = LetterForm(
        posted if action in ("save_letter", "letter_sent") else None,
        leak=leak,
        sending=action == "letter_sent",
        initial={
            "text": leak.letter_text or draft_letter(leak, letter_language(request.user)),
            "addressee": leak.letter_addressee,
            "their_reference": leak.letter_their_reference,
        },
    )
    if request.method == "POST" and action == "record" and not leak.is_final and form.is_valid():
        services.dataleak_record_subject_notification(leak=leak, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The notification of the data subjects has been recorded."))
        return redirect("incidents:detail", pk=leak.pk)
    if request.method == "POST" and action in ("save_letter", "letter_sent") and letter_form.is_valid():
        text = letter_form.cleaned_data["text"]
        letter = {
            "addressee": letter_form.cleaned_data["addressee"],
            "their_reference": letter_form.cleaned_data["their_reference"],
        }
        if action == "save_letter":
            services.dataleak_save_letter(leak=leak, actor=request.user, text=text, **letter)
            messages.success(request, _("The letter has been saved."))
        else:
            sent_on = letter_form.cleaned_data["sent_on"] or timezone.localdate()
            services.dataleak_letter_sent(leak=leak, actor=request.user, text=text, sent_on=sent_on, **letter)
            messages.success(request, _("The letter has been kept with the report as sent."))
        return redirect("incidents:subjects", pk=leak.pk)
    return render(
        request,
        "incidents/subjects.html",
        {
            "leak": leak,
            "form": form,
            "letter_form": letter_form,
            "notifications": list(leak.subject_notifications.all()),
            "sent_letters": list(leak.sent_letters.all()),
            "corrector": can_correct_dataleak(request.user, leak),
        },
        status=400 if request.method == "POST" else 200,
    )


def _letter(request: HttpRequest, leak: DataLeak):
    """The saved draft (or the generated one), or with ?verzonden=<id> a letter as it was sent; and its file name."""
    language = letter_language(request.user)
    sent_pk = request.GET.get("verzonden")
    if sent_pk:
        sent = SentLetter.objects.filter(leak=leak, pk=sent_pk if sent_pk.isdigit() else 0).first()
        if sent is None:
            raise Http404
        letter = build_letter(
            leak,
            sent.text,
            addressee=sent.addressee,
            their_reference=sent.their_reference,
            date=sent.sent_on,
            language=language,
        )
        return letter, f"{leak.reference}-brief-betrokkenen-{sent.sent_on:%Y%m%d}"
    letter = build_letter(
        leak,
        leak.letter_text or draft_letter(leak, language),
        addressee=leak.letter_addressee,
        their_reference=leak.letter_their_reference,
        language=language,
    )
    return letter, f"{leak.reference}-brief-betrokkenen"


def letter_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True, read=f"letter {fmt}", action=Action.EXPORT)
    letter, filename = _letter(request, leak)
    if fmt == "docx":
        response = HttpResponse(
            letter_docx(letter),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    else:
        response = HttpResponse(letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _confirm_page(request: HttpRequest, leak: DataLeak, *, transition: str, form, template: str, perform, done):
    """A confirmation page: GET shows what becomes final, POST does it (the form kept as typed on an error)."""
    if leak.is_final:
        messages.error(request, _("This report is closed; it can no longer be changed."))
        return redirect("incidents:detail", pk=leak.pk)
    if request.method == "POST" and form.is_valid():
        try:
            perform(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("incidents:detail", pk=leak.pk)
    return render(
        request,
        template,
        {
            "leak": leak,
            "form": form,
            "allowed": state.allowed(leak, transition),
            "ap_notifications": list(leak.ap_notifications.all()),
            "subject_notifications": list(leak.subject_notifications.all()),
            "retention_days": leak.organisation.retention_days,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True)
    return _confirm_page(
        request,
        leak,
        transition="close",
        form=CloseForm(request.POST or None, leak=leak),
        template="incidents/close.html",
        perform=lambda data: services.dataleak_close(
            leak=leak, actor=request.user, cause=data["cause"], lesson=data["lesson"]
        ),
        done=_("The report is closed."),
    )


@require_http_methods(["GET", "POST"])
def no_leak(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True)
    return _confirm_page(
        request,
        leak,
        transition="no_leak",
        form=NoLeakForm(request.POST or None),
        template="incidents/no_leak.html",
        perform=lambda data: services.dataleak_mark_no_leak(leak=leak, actor=request.user, reason=data["reason"]),
        done=_('The report is closed as "no data leak".'),
    )


@require_POST
def lesson_to_topic(request: HttpRequest, pk: int) -> HttpResponse:
    leak = _get_leak(request, pk, handle=True)
    try:
        suggestion = services.dataleak_lesson_to_topic(leak=leak, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("incidents:detail", pk=leak.pk)
    messages.success(
        request,
        _("The lesson has been proposed as a topic for the annual plan: %(title)s") % {"title": suggestion.title},
    )
    return redirect("incidents:detail", pk=leak.pk)


def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    from core.uploads import serve_upload

    item = _get_attachment(request, pk, attachment_pk)
    return serve_upload(item.file, item.original_name)
