"""Data leaks (datalekken): the report, its timeline, attachments, notifications and the access log."""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Collection

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Organisation
from core.querysets import OrganisationQuerySet
from core.uploads import random_upload_path

DEADLINE = datetime.timedelta(hours=72)
ORANGE_FROM = datetime.timedelta(hours=48)
RED_FROM = datetime.timedelta(hours=60)
# Hours after aware_at at which the reminder job (incidents.reminders) reminds the Privacy Officer and escalates.
MILESTONE_HOURS = (24, 48, 60, 72)


def attachment_upload_to(instance: object, filename: str) -> str:
    """A random name under incidents/ (a module-level function, so migrations can reference it)."""
    return random_upload_path("incidents")(instance, filename)


class Category(models.TextChoices):
    """What happened, in the reporter's words."""

    EMAIL_WRONG_RECIPIENT = "email_wrong_recipient", _("E-mail sent to the wrong recipient")
    CC_NOT_BCC = "cc_not_bcc", _("CC used instead of BCC")
    LOST_DEVICE = "lost_device", _("Lost or stolen laptop, phone or USB stick")
    LETTER_WRONG_ADDRESS = "letter_wrong_address", _("Letter sent to the wrong address")
    PHISHING_HACK = "phishing_hack", _("Phishing or hacking")
    PUBLISHED = "published", _("Data published by mistake")
    DOCUMENTS_LEFT = "documents_left", _("Documents left behind or thrown away unsafely")
    OTHER = "other", _("Something else")


class DataKind(models.TextChoices):
    NAME_ADDRESS = "name_address", _("Name, address, e-mail or phone number")
    BSN = "bsn", _("Citizen service number (BSN)")
    FINANCIAL = "financial", _("Financial data (income, bank account, debts)")
    SPECIAL = "special", _("Health or other special categories (religion, ethnicity, criminal record)")
    ID_COPY = "id_copy", _("Copy of a passport or ID card")
    LOGIN = "login", _("Usernames and passwords")
    OTHER = "other", _("Other personal data")
    UNKNOWN = "unknown", _("I do not know")


class AffectedEstimate(models.TextChoices):
    ONE = "1", _("One person")
    FEW = "2-10", _("2 to 10 people")
    TENS = "11-100", _("11 to 100 people")
    HUNDREDS = "101-1000", _("101 to 1,000 people")
    MANY = "1000+", _("More than 1,000 people")
    UNKNOWN = "unknown", _("I do not know")


class Ongoing(models.TextChoices):
    NO = "no", _("No, it has stopped")
    YES = "yes", _("Yes, it is still going on")
    UNKNOWN = "unknown", _("I do not know")


class Severity(models.TextChoices):
    NEGLIGIBLE = "negligible", _("Negligible")
    LIMITED = "limited", _("Limited")
    SIGNIFICANT = "significant", _("Significant")
    VERY_LARGE = "very_large", _("Very large")


class Encrypted(models.TextChoices):
    UNKNOWN = "", _("Not yet known")
    YES = "yes", _("Yes, unintelligible to others")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class APDecision(models.TextChoices):
    PENDING = "", _("Not decided yet")
    NOTIFY = "notify", _("Notify the AP")
    NO_NOTIFY = "no_notify", _("Do not notify the AP")


class SubjectsDecision(models.TextChoices):
    PENDING = "", _("Not decided yet")
    INFORM = "inform", _("Inform the data subjects")
    NO_INFORM = "no_inform", _("Do not inform the data subjects")


class Exemption(models.TextChoices):
    NONE = "", _("No exemption")
    UNINTELLIGIBLE = "34_3_a", _("Art. 34(3)(a): the data was unintelligible (for example encrypted)")
    MEASURES = "34_3_b", _("Art. 34(3)(b): later measures remove the high risk")
    DISPROPORTIONATE = "34_3_c", _("Art. 34(3)(c): disproportionate effort; a public communication instead")


class DPOInvolved(models.TextChoices):
    UNKNOWN = "", _("Not recorded yet")
    YES = "yes", _("Yes, the FG was involved")
    NO = "no", _("No, the FG was not involved")


class OtherNotificationDuty(models.TextChoices):
    """Whether a duty to notify besides art. 33 GDPR applies (the AP's form asks under which law one notifies)."""

    UNKNOWN = "", _("Not answered yet")
    NONE = "none", _("No, only art. 33 GDPR")
    TELECOM = "telecom", _("Also the Telecommunicatiewet (public electronic communication services)")
    WBNI = "wbni", _("Also the Wbni or its successor, the Cyberbeveiligingswet (network and information systems)")
    EIDAS = "eidas", _("Also the eIDAS regulation (trust services)")
    OTHER = "other", _("Another duty, or several (explain)")


class DataLeakCounter(models.Model):
    """The last reference number handed out per organisation and year; locked while allocating."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="dataleak_counter_unique")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last_number}"


class DataLeakQuerySet(OrganisationQuerySet["DataLeak"]):
    def visible_to(self, user) -> DataLeakQuerySet:
        """Reports the user may know exist.

        Privacy Officers (and deputies) and the CISO: all of their organisation.
        Ambassadors: reports they filed and reports of the departments they
        cover, subdepartments included (they are the first point of contact
        and were alerted about them). Everyone: their own reports, including
        those an ambassador filed on their behalf. Managers get no rows here.
        """
        from accounts.permissions import can_handle_dataleaks, get_roles

        if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
            return self.none()
        qs = super().visible_to(user)
        if can_handle_dataleaks(user):
            return qs
        condition = Q(reported_by=user) | Q(on_behalf_of=user)
        roles = get_roles(user)
        if roles.ambassador_ids:
            for path in Department.objects.filter(pk__in=roles.ambassador_ids).values_list("path", flat=True):
                condition |= Q(department__path__startswith=path)
        return qs.filter(condition)

    def countable_by(self, user) -> DataLeakQuerySet:
        """Reports the user may count (never read): the statistics scope of accounts.permissions.

        Handlers count their whole organisation, managers the departments they manage.
        """
        from accounts.permissions import dataleak_statistics_scope

        return super().visible_to(user).for_departments(dataleak_statistics_scope(user))

    def open(self) -> DataLeakQuerySet:
        """Reports neither closed nor closed as "no data leak" (the partial index ``dataleak_open_idx``)."""
        return self.filter(closed_at__isnull=True, no_leak_at__isnull=True)

    def with_state(self) -> DataLeakQuerySet:
        """Every row with its derived state, AP status and clock (``incidents.state.annotate``)."""
        from incidents.state import annotate

        return annotate(self)

    def in_state(self, *states: str) -> DataLeakQuerySet:
        return self.with_state().filter(derived_state__in=states)

    def in_period(self, start: datetime.date | None, end: datetime.date | None) -> DataLeakQuerySet:
        qs = self
        if start:
            qs = qs.filter(created_at__date__gte=start)
        if end:
            qs = qs.filter(created_at__date__lte=end)
        return qs

    def for_departments(self, department_ids: Collection[int] | None) -> DataLeakQuerySet:
        return self if department_ids is None else self.filter(department_id__in=list(department_ids))

    def counts_per_type_and_quarter(self) -> list[dict]:
        """Counts only, never contents: rows of year, quarter, category and count."""
        return list(
            self.annotate(year_=ExtractYear("created_at"), quarter=ExtractQuarter("created_at"))
            .values("year_", "quarter", "category")
            .annotate(count=Count("id"))
            .order_by("-year_", "-quarter", "category")
        )

    def yearly_counts(self, year: int) -> dict[str, list[dict]]:
        """The year's counts per type and per department (two aggregate queries), for evaluation."""
        from incidents.state import NOTIFIED, LeakState

        # "Notified" and "no data leak" are the derived state's (incidents.state): a withdrawn notification is not
        # counted as notified.
        qs = self.filter(created_at__year=year).with_state()
        notified = Count("id", filter=NOTIFIED)
        per_type = list(
            qs.values("category")
            .annotate(
                count=Count("id"),
                notified=notified,
                no_leak=Count("id", filter=Q(derived_state=LeakState.NO_LEAK)),
            )
            .order_by("category")
        )
        per_department = list(
            qs.values("department_id", "department__name")
            .annotate(count=Count("id"), notified=notified)
            .order_by("department__name")
        )
        return {"per_type": per_type, "per_department": per_department}

    def milestones_due(self, now: datetime.datetime | None = None) -> list[tuple[DataLeak, int]]:
        """Reports whose clock runs (``incidents.state``), with the latest deadline milestone (hours) they passed.

        The reminder job sends one reminder per (report, milestone) under a
        unique key such as ``dataleak-{id}-milestone-{hours}``; 72 means overdue (escalate).
        """
        now = now or timezone.now()
        candidates = (
            self.open()
            .filter(aware_at__lte=now - datetime.timedelta(hours=MILESTONE_HOURS[0]))
            .with_state()
            .filter(derived_clock_running=True)
            .select_related("organisation", "department")
        )
        result = []
        for leak in candidates:
            elapsed = now - leak.aware_at
            passed = [h for h in MILESTONE_HOURS if elapsed >= datetime.timedelta(hours=h)]
            result.append((leak, passed[-1]))
        return result


class DataLeak(models.Model):
    """A reported (suspected) data leak. Its state is derived from the facts below and its notifications
    (``incidents.state``), never stored."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="data_leaks", verbose_name=_("organisation")
    )
    reference = models.CharField(_("reference"), max_length=20, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    number = models.PositiveIntegerField(editable=False)
    idempotency_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    # The intake.
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="data_leaks_reported",
        verbose_name=_("reported by"),
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="data_leaks_on_behalf",
        verbose_name=_("on behalf of"),
    )
    on_behalf_of_name = models.CharField(_("colleague's name"), max_length=200, blank=True)
    contact_name = models.CharField(_("name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail address"), blank=True)
    contact_phone = models.CharField(_("phone number"), max_length=50, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="data_leaks", verbose_name=_("department")
    )
    category = models.CharField(_("what happened"), max_length=30, choices=Category.choices)
    description = models.TextField(_("description"))
    occurred_at = models.DateTimeField(_("when it happened"))
    discovered_at = models.DateTimeField(_("when it was discovered"))
    data_kinds = models.JSONField(_("kinds of personal data"), default=list, blank=True)
    affected_estimate = models.CharField(
        _("roughly how many people"), max_length=10, choices=AffectedEstimate.choices, default=AffectedEstimate.UNKNOWN
    )
    ongoing = models.CharField(_("still going on"), max_length=10, choices=Ongoing.choices, default=Ongoing.UNKNOWN)
    actions_taken = models.TextField(_("what has already been done"), blank=True)

    # Handling.
    aware_at = models.DateTimeField(
        _("organisation aware since"),
        help_text=_(
            "When the organisation became aware: the discovery as the reporter gave it, or a later moment the "
            "Privacy Officer records with a reason. The 72 hours start here."
        ),
    )
    aware_reason = models.TextField(_("reason for a later awareness moment"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="data_leaks_assigned",
        verbose_name=_("assignee"),
    )
    # Ambassadors the Privacy Officer involved in this report: they see the reporter's contact details.
    involved_ambassadors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("involved ambassadors")
    )

    # The assessment, in the order of the AP's questionnaire.
    breach_ended_at = models.DateTimeField(_("when the breach ended"), null=True, blank=True)
    discovery_method = models.TextField(_("how the breach was discovered"), blank=True)
    other_supervisors = models.TextField(_("other supervisors notified"), blank=True)
    cross_border_countries = models.TextField(_("countries of the people affected (cross-border)"), blank=True)
    other_authorities = models.TextField(_("other data protection authorities notified"), blank=True)
    breach_confidentiality = models.BooleanField(_("confidentiality (data seen by others)"), default=False)
    breach_integrity = models.BooleanField(_("integrity (data changed)"), default=False)
    breach_availability = models.BooleanField(_("availability (data lost or unreachable)"), default=False)
    personal_data_categories = models.JSONField(_("categories of personal data"), default=list, blank=True)
    special_categories = models.TextField(_("special categories of personal data"), blank=True)
    persons_exact = models.PositiveIntegerField(_("number of people (exact)"), null=True, blank=True)
    persons_min = models.PositiveIntegerField(_("number of people (minimum)"), null=True, blank=True)
    persons_max = models.PositiveIntegerField(_("number of people (maximum)"), null=True, blank=True)
    records_count = models.PositiveIntegerField(_("number of records"), null=True, blank=True)
    affected_groups = models.TextField(_("groups of people affected"), blank=True)
    encrypted = models.CharField(
        _("encrypted or otherwise unintelligible"), max_length=10, choices=Encrypted.choices, blank=True
    )
    encryption_details = models.TextField(_("how it was made unintelligible"), blank=True)
    consequences = models.TextField(_("likely consequences"), blank=True)
    consequences_organisation = models.TextField(_("consequences for the organisation"), blank=True)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices, blank=True)
    severity_explanation = models.TextField(_("explanation of the severity estimate"), blank=True)
    measures_taken = models.TextField(_("corrective measures taken"), blank=True)
    measures_planned = models.TextField(_("measures planned"), blank=True)
    measures_preventive = models.TextField(_("preventive measures (against recurrence)"), blank=True)
    dpo_involved = models.CharField(
        _("FG involved"), max_length=5, choices=DPOInvolved.choices, blank=True, default=DPOInvolved.UNKNOWN
    )
    dpo_advice = models.TextField(_("advice of the FG"), blank=True)
    processors_involved = models.TextField(_("processors or other organisations involved"), blank=True)
    cross_border = models.BooleanField(_("cross-border (other EU countries)"), default=False)
    joint_controllers = models.TextField(
        _("joint controllers (art. 26 GDPR)"),
        blank=True,
        help_text=_("Organisations that decide with you on the purposes and means of the processing involved."),
    )
    # The notification itself: besides art. 33 GDPR, another duty to notify; what is sent along to the AP.
    other_notification_duty = models.CharField(
        _("another duty to notify"), max_length=10, choices=OtherNotificationDuty.choices, blank=True
    )
    other_notification_duty_details = models.TextField(
        _("the other duty to notify: which, and to whom"),
        blank=True,
        help_text=_("For example: also notified to the CSIRT under the Cyberbeveiligingswet."),
    )
    documents_sent = models.TextField(
        _("supporting documents sent along to the AP"),
        blank=True,
        help_text=_("Remove citizens' personal data from a document before you send it along, as the AP asks."),
    )

    # The two decisions.
    ap_decision = models.CharField(_("notify the AP"), max_length=20, choices=APDecision.choices, blank=True)
    ap_decision_reason = models.TextField(_("reasoning of the AP decision"), blank=True)
    late_reason = models.TextField(_("reason for a notification later than 72 hours"), blank=True)
    subjects_decision = models.CharField(
        _("inform the data subjects"), max_length=20, choices=SubjectsDecision.choices, blank=True
    )
    subjects_decision_reason = models.TextField(_("reasoning of the data-subject decision"), blank=True)
    subjects_exemption = models.CharField(
        _("art. 34(3) exemption"), max_length=10, choices=Exemption.choices, blank=True
    )
    subjects_informed_how = models.TextField(_("how and when the data subjects are informed"), blank=True)
    # Questions of the AP's questionnaire answered "none / not applicable" (an answer, unlike an empty field).
    not_applicable = models.JSONField(_("answered as not applicable"), default=list, blank=True)
    letter_text = models.TextField(_("letter to the data subjects (draft)"), blank=True)
    # The addressee of the letter; empty for a mail merge (the .docx then holds merge fields).
    letter_addressee = models.TextField(_("letter: addressee (name and address)"), blank=True)
    letter_their_reference = models.CharField(_("letter: your reference"), max_length=100, blank=True)

    # Closing.
    cause = models.TextField(_("cause"), blank=True)
    lesson = models.TextField(_("lesson learned"), blank=True)
    no_leak_reason = models.TextField(_("why this is not a data leak"), blank=True)
    topic_suggestion = models.ForeignKey(
        "programme.TopicSuggestion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic suggestion"),
    )

    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # The facts of the state (incidents.state); reopening clears closed_at or no_leak_at (kept in the timeline).
    assessment_started_at = models.DateTimeField(_("assessment started at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    no_leak_at = models.DateTimeField(_("closed as no data leak at"), null=True, blank=True)
    details_erased_at = models.DateTimeField(_("details erased at"), null=True, blank=True)

    # What a reporter tells: the report form's fields and the API's hand-over, one list.
    INTAKE_FIELDS = (
        "category",
        "description",
        "occurred_at",
        "discovered_at",
        "department",
        "data_kinds",
        "affected_estimate",
        "ongoing",
        "actions_taken",
        "contact_phone",
        "contact_email",
    )

    # What the retention period erases (dataleak_purge_details): who reported and their words. The register's facts
    # (type, dates, department, kinds of data, numbers, assessment, decisions, notifications) remain.
    ERASED_AT_RETENTION = (
        "reported_by",
        "on_behalf_of",
        "on_behalf_of_name",
        "contact_name",
        "contact_email",
        "contact_phone",
        "description",
        "actions_taken",
    )

    # Corrections with a reason (an answer given to the AP, a decision, the awareness moment) keep the old values.
    corrections = GenericRelation("core.Correction", related_query_name="data_leak")

    objects = DataLeakQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("data leak")
        verbose_name_plural = _("data leaks")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="dataleak_reference_unique"),
            models.UniqueConstraint(fields=["organisation", "year", "number"], name="dataleak_number_unique"),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(no_leak_at__isnull=True), name="dataleak_closed_one_way"
            ),
        ]
        indexes = [
            # The open reports by deadline (the queue, the home page, the reminders).
            models.Index(
                fields=["organisation", "aware_at"],
                condition=Q(closed_at__isnull=True, no_leak_at__isnull=True),
                name="dataleak_open_idx",
            ),
            # The register and the queue ("all"): newest first per organisation, ties by id as the lists break
            # them (core.listing), so a page reads its rows from the index; also the year's counts.
            models.Index(fields=["organisation", "-created_at", "-id"], name="dataleak_org_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    # The 72-hour clock.
    @property
    def deadline(self) -> datetime.datetime:
        return self.aware_at + DEADLINE

    def refresh_from_db(self, *args, **kwargs) -> None:
        from incidents.state import forget

        forget(self)
        super().refresh_from_db(*args, **kwargs)

    # The derived state (incidents.state): one definition, read by every page, export, mail and the API.
    @property
    def derived(self):
        from incidents.state import derived_of

        return derived_of(self)

    @property
    def state(self) -> str:
        return self.derived.state

    def get_state_display(self) -> str:
        from incidents.state import LeakState

        return str(LeakState(self.state).label)

    @property
    def ap_status(self) -> str:
        return self.derived.ap_status

    def get_ap_status_display(self) -> str:
        from incidents.state import APStatus

        return str(APStatus(self.ap_status).label)

    @property
    def is_final(self) -> bool:
        return self.derived.is_final

    @property
    def clock_running(self) -> bool:
        """The AP clock runs until the AP is notified (not withdrawn) or it is decided not to notify."""
        return self.derived.clock_running

    @property
    def ended_at(self) -> datetime.datetime | None:
        """When the handling ended, either way (the retention period runs from here)."""
        return self.closed_at or self.no_leak_at

    def countdown_class(self, now: datetime.datetime | None = None) -> str:
        elapsed = (now or timezone.now()) - self.aware_at
        if elapsed >= DEADLINE:
            return "countdown-overdue"
        if elapsed >= RED_FROM:
            return "countdown-red"
        if elapsed >= ORANGE_FROM:
            return "countdown-orange"
        return "countdown-green"

    def notified_on_time(self, notified_at: datetime.datetime | None) -> bool | None:
        """Whether a notification at ``notified_at`` met the 72 hours; None when the AP was not notified."""
        if notified_at is None:
            return None
        return notified_at <= self.deadline

    def is_not_applicable(self, name: str) -> bool:
        return name in (self.not_applicable or [])

    def time_left(self, now: datetime.datetime | None = None) -> datetime.timedelta:
        return self.deadline - (now or timezone.now())

    @property
    def reporter_name(self) -> str:
        if self.on_behalf_of_name:
            return self.on_behalf_of_name
        return self.contact_name or (self.reported_by.full_name if self.reported_by else "")

    def get_data_kinds_display(self) -> list[str]:
        labels = _data_kind_labels()
        return [str(labels.get(kind, kind)) for kind in self.data_kinds]

    def get_personal_data_categories_display(self) -> list[str]:
        labels = _data_kind_labels()
        return [str(labels.get(kind, kind)) for kind in self.personal_data_categories]

    @property
    def breach_nature_display(self) -> list[str]:
        natures = []
        if self.breach_confidentiality:
            natures.append(str(_("confidentiality")))
        if self.breach_integrity:
            natures.append(str(_("integrity")))
        if self.breach_availability:
            natures.append(str(_("availability")))
        return natures

    @property
    def persons_display(self) -> str:
        if self.persons_exact is not None:
            return str(self.persons_exact)
        if self.persons_min is not None or self.persons_max is not None:
            return f"{self.persons_min if self.persons_min is not None else '?'}–{self.persons_max if self.persons_max is not None else '?'}"
        return ""


@functools.cache
def _data_kind_labels() -> dict:
    """DataKind value -> (lazy) label, built once (the export reads it for every row)."""
    return dict(DataKind.choices)


class DataLeakEvent(models.Model):
    """The timeline: every status change, note, decision and assignment, with who and when."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("Reported")
        STATUS = "status", _("Status changed")
        NOTE = "note", _("Note")
        DECISION = "decision", _("Decision")
        ASSIGNMENT = "assignment", _("Assignment")
        ASSESSMENT = "assessment", _("Assessment updated")
        NOTIFICATION = "notification", _("Notification")
        LESSON = "lesson", _("Lesson learned")
        ERASURE = "erasure", _("Details erased")
        REOPENED = "reopened", _("Reopened")
        ADDITION = "addition", _("Addition to the report")
        LETTER = "letter", _("Letter to the data subjects")

    leak = models.ForeignKey(DataLeak, on_delete=models.CASCADE, related_name="events", verbose_name=_("data leak"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What someone typed (a note, an addition), or an entry kept as text before ``data`` existed.
    text = models.TextField(_("text"), blank=True)
    # What the application says, as data (``incidents.timeline``): rendered in the reader's language when shown.
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.leak_id} {self.kind}"

    @property
    def display_text(self) -> str:
        """The entry in the active language (the reader's)."""
        from incidents.timeline import render

        return render(self)


class DataLeakAttachment(models.Model):
    leak = models.ForeignKey(
        DataLeak, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("data leak")
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class APNotification(models.Model):
    """A notification to the Autoriteit Persoonsgegevens: the first one, and any follow-up."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Notification")
        FOLLOW_UP = "follow_up", _("Follow-up notification")
        WITHDRAWAL = "withdrawal", _("Withdrawal")

    leak = models.ForeignKey(
        DataLeak, on_delete=models.CASCADE, related_name="ap_notifications", verbose_name=_("data leak")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INITIAL)
    notified_at = models.DateTimeField(_("notified at"))
    ap_reference = models.CharField(_("AP reference number"), max_length=100)
    complete = models.BooleanField(
        _("the notification is complete"),
        default=False,
        help_text=_("Leave unticked for a provisional notification you will supplement later (art. 33(4) GDPR)."),
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    corrections = GenericRelation("core.Correction", related_query_name="ap_notification")

    class Meta:
        ordering = ["notified_at", "id"]
        verbose_name = _("AP notification")
        verbose_name_plural = _("AP notifications")

    def __str__(self) -> str:
        return f"{self.leak} {self.ap_reference}"


class SubjectNotification(models.Model):
    """Data subjects informed (art. 34): how, when and how many."""

    class Channel(models.TextChoices):
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Telephone")
        IN_PERSON = "in_person", _("In person")
        PUBLIC = "public", _("Public communication")

    leak = models.ForeignKey(
        DataLeak, on_delete=models.CASCADE, related_name="subject_notifications", verbose_name=_("data leak")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    informed_on = models.DateField(_("informed on"))
    number_informed = models.PositiveIntegerField(_("number of people informed"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    corrections = GenericRelation("core.Correction", related_query_name="subject_notification")

    class Meta:
        ordering = ["informed_on", "id"]
        verbose_name = _("data-subject notification")
        verbose_name_plural = _("data-subject notifications")

    def __str__(self) -> str:
        return f"{self.leak} {self.informed_on}"


class SentLetter(models.Model):
    """The letter to the data subjects as it was sent: kept with the leak, never changed afterwards."""

    leak = models.ForeignKey(
        DataLeak, on_delete=models.CASCADE, related_name="sent_letters", verbose_name=_("data leak")
    )
    text = models.TextField(_("text"))
    addressee = models.TextField(_("addressee (name and address)"), blank=True)
    their_reference = models.CharField(_("your reference"), max_length=100, blank=True)
    sent_on = models.DateField(_("sent on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_on", "id"]
        verbose_name = _("sent letter")
        verbose_name_plural = _("sent letters")

    def __str__(self) -> str:
        return f"{self.leak} {self.sent_on}"


# The internal names the views write into DataLeakAccess.detail, as the timeline shows them. A detail not
# listed here is a user's own text (an attachment's file name) and is shown as it is.
ACCESS_DETAIL_LABELS = {
    "confirmation": _("confirmation of receipt"),
    "start assessment": _("assessment started"),
    "handling": _("handling"),
    "note": _("note"),
    "assessment": _("assessment"),
    "AP notification": _("notification to the AP"),
    "AP notification page": _("page of the notification to the AP"),
    "AP notification corrected": _("notification to the AP corrected"),
    "data-subject notification corrected": _("informing of the data subjects corrected"),
    "reopened": _("reopened"),
    "addition by the reporter": _("addition by the reporter"),
    "addition by an ambassador": _("addition by the ambassador (first point of contact)"),
    "ambassador involved": _("ambassador involved"),
    "ambassador no longer involved": _("ambassador no longer involved"),
    "AP notification PDF": _("PDF of the notification to the AP"),
    "data-subject notification": _("informing of the data subjects"),
    "letter to the data subjects": _("letter to the data subjects"),
    "data-subject letter": _("letter to the data subjects"),
    "letter docx": _("letter as a Word document"),
    "letter pdf": _("letter as a PDF"),
    "closed": _("closed"),
    "no data leak": _("closed as no data leak"),
    "topic suggestion": _("topic suggestion"),
}


class DataLeakAccess(models.Model):
    """Append-only audit log: who viewed, exported or changed which report, when and from where.

    Rows are never updated or deleted by the application (``save`` refuses an
    update). Ordered by ``id``, so a later hash chain can add ``previous_hash``
    and ``entry_hash`` computed over the fields below without a redesign.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CHANGE = "change", _("Changed")
        EXPORT = "export", _("Exported")
        DOWNLOAD = "download", _("Downloaded an attachment")
        CREATE = "create", _("Reported")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    leak = models.ForeignKey(
        DataLeak, on_delete=models.PROTECT, null=True, blank=True, related_name="accesses", verbose_name=_("data leak")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    detail = models.CharField(_("what"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access record")
        verbose_name_plural = _("access records")

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.leak_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Access records are append-only.")
        super().save(*args, **kwargs)

    @property
    def detail_display(self) -> str:
        """What was viewed or changed, in the reader's language (the log stores the internal name)."""
        label = ACCESS_DETAIL_LABELS.get(self.detail)
        return str(label) if label is not None else self.detail
