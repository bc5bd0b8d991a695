"""Writes of the department year programme and good practices."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, User
from ambassadors.models import Activity
from ambassadors.programmes.models import (
    ActivityMatch,
    DepartmentProgramme,
    GoodPractice,
    GoodPracticeMaterial,
    PlannedItem,
)
from core import history
from core.materials import material_create
from programme.models import Topic

ITEM_FIELDS = ("topic", "title", "kind", "month", "quarter", "ambassador", "hours", "team")


@transaction.atomic
def programme_start(*, user: User, department: Department, year: int) -> tuple[DepartmentProgramme, bool]:
    """A draft with one item per organisation-wide topic of the year's published plan; a second click gets it back."""
    existing = DepartmentProgramme.objects.filter(department=department, year=year).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            programme = DepartmentProgramme.objects.create(
                organisation_id=department.organisation_id, department=department, year=year, created_by=user
            )
    except IntegrityError:
        return DepartmentProgramme.objects.get(department=department, year=year), False
    topics = (
        Topic.objects.filter(plan__organisation_id=department.organisation_id, plan__year=year, department__isnull=True)
        .published()
        .order_by("quarter", "month", "title")
    )
    PlannedItem.objects.bulk_create(
        PlannedItem(
            programme=programme,
            topic=topic,
            title=topic.title,
            kind=Activity.Kind.TEAM_MEETING,
            month=topic.month,
            quarter=topic.quarter,
            ambassador=user,
            hours=Decimal("1"),
        )
        for topic in topics
    )
    return programme, True


def _set_item(item: PlannedItem, data: dict[str, Any]) -> PlannedItem:
    for field in ITEM_FIELDS:
        if field in data:
            setattr(item, field, data[field])
    if "decision" in data:
        item.decision = data["decision"] or ""
        item.decision_reason = data.get("decision_reason", "") if item.decision else ""
    item.full_clean(exclude=["programme", "source_practice"])
    item.save()
    return item


@transaction.atomic
def item_create(*, programme: DepartmentProgramme, data: dict[str, Any]) -> PlannedItem:
    return _set_item(PlannedItem(programme=programme), data)


@transaction.atomic
def item_update(*, item: PlannedItem, data: dict[str, Any], reason: str = "", user: User | None = None) -> PlannedItem:
    """A plain edit of a draft's item; an item of an agreed programme is corrected with a reason, its earlier values
    kept in the one history (core.history) and audited."""
    if not item.programme.is_agreed:
        return _set_item(item, data)
    reason = history.require_reason(reason)
    if isinstance(data.get("hours"), Decimal):
        data = {**data, "hours": data["hours"].quantize(Decimal("0.1"))}
    fields = [name for name in (*ITEM_FIELDS, "decision", "decision_reason") if name in data]
    before = history.snapshot(item, fields)
    _set_item(item, data)
    history.record(
        item,
        before=before,
        reason=reason,
        user=user,
        action="department_programmes.item_corrected",
        organisation_id=item.programme.organisation_id,
    )
    return item


@transaction.atomic
def item_delete(*, item: PlannedItem) -> None:
    item.delete()


@transaction.atomic
def programme_submit(*, programme: DepartmentProgramme) -> DepartmentProgramme:
    if not programme.items.exists():
        raise ValidationError(_("Add at least one item before you submit the programme."))
    programme.status = DepartmentProgramme.Status.SUBMITTED
    programme.save(update_fields=["status", "updated_at"])
    return programme


@transaction.atomic
def programme_decide(*, programme: DepartmentProgramme, user: User, agree: bool, remark: str) -> DepartmentProgramme:
    """Agree the programme, or send it back with a remark the ambassador reads."""
    if not agree and not remark.strip():
        raise ValidationError({"remark": _("Say what should change before you send the programme back.")})
    programme.status = DepartmentProgramme.Status.AGREED if agree else DepartmentProgramme.Status.RETURNED
    programme.remark = remark.strip()
    programme.decided_by = user
    programme.decided_at = timezone.now()
    programme.save(update_fields=["status", "remark", "decided_by", "decided_at", "updated_at"])
    return programme


@transaction.atomic
def programme_copy(*, programme: DepartmentProgramme, user: User) -> DepartmentProgramme:
    """Next year's draft from this one: the items without their decisions, each on next year's topic of that title."""
    year = programme.year + 1
    if DepartmentProgramme.objects.filter(department_id=programme.department_id, year=year).exists():
        raise ValidationError(_("The department already has a programme for %(year)s.") % {"year": year})
    copy = DepartmentProgramme.objects.create(
        organisation_id=programme.organisation_id, department_id=programme.department_id, year=year, created_by=user
    )
    next_topics = {
        topic.title: topic
        for topic in Topic.objects.filter(plan__organisation_id=programme.organisation_id, plan__year=year)
    }
    PlannedItem.objects.bulk_create(
        PlannedItem(
            programme=copy,
            topic=next_topics.get(item.topic.title) if item.topic else None,
            title=item.title,
            kind=item.kind,
            month=item.month,
            quarter=item.quarter,
            ambassador=item.ambassador,
            hours=item.hours,
            team=item.team,
            source_practice=item.source_practice,
        )
        for item in programme.items.select_related("topic")
    )
    return copy


@transaction.atomic
def activity_match_set(*, activity: Activity, item: PlannedItem | None) -> None:
    """Count the activity towards ``item`` (or towards none): one item per activity."""
    if item is None:
        ActivityMatch.objects.filter(activity=activity).delete()
        return
    ActivityMatch.objects.update_or_create(activity=activity, defaults={"item": item})


@transaction.atomic
def practice_share(
    *,
    user: User,
    data: dict[str, Any],
    item: PlannedItem | None = None,
    activity: Activity | None = None,
    material_title: str = "",
    file: UploadedFile | None = None,
    url: str = "",
) -> GoodPractice:
    source_department = item.programme.department if item else activity.department if activity else None
    practice = GoodPractice.objects.create(
        organisation_id=user.organisation_id,
        author=user,
        department=source_department,
        item=item,
        activity=activity,
        title=data["title"],
        kind=data["kind"],
        topic=data.get("topic"),
        what=data["what"],
        audience=data["audience"],
        what_worked=data["what_worked"],
        effort=data["effort"],
        hours=data.get("hours") or Decimal("1"),
    )
    if file or url:
        material_create(
            GoodPracticeMaterial, title=material_title or practice.title, file=file, url=url, practice=practice
        )
    return practice


@transaction.atomic
def practice_adopt(*, practice: GoodPractice, programme: DepartmentProgramme, user: User) -> PlannedItem:
    """One click: the practice becomes an item of the ambassador's programme, linked to its source."""
    month = timezone.localdate().month if programme.year == timezone.localdate().year else 1
    topic = practice.topic if practice.topic and practice.topic.plan.year == programme.year else None
    return PlannedItem.objects.create(
        programme=programme,
        topic=topic,
        title=practice.title,
        kind=practice.kind,
        month=month,
        ambassador=user,
        hours=practice.hours,
        source_practice=practice,
    )


@transaction.atomic
def practice_feature(*, practice: GoodPractice, featured: bool) -> GoodPractice:
    practice.featured = featured
    practice.save(update_fields=["featured", "updated_at"])
    return practice


@transaction.atomic
def practice_into_mailing(*, practice: GoodPractice, today) -> Any:
    """Feature the practice in this quarter's mailing: its story is added to the mailing's introduction (which the
    officer edits and previews as ever) and the practice is featured. Refused once the mailing's sending started."""
    from programme import services as programme_services
    from programme.models import QuarterlyMailing

    year, quarter = today.year, (today.month - 1) // 3 + 1
    story = "\n".join(
        line
        for line in (
            _("Good practice: %(title)s") % {"title": practice.title},
            practice.what,
            _("What worked: %(text)s") % {"text": practice.what_worked},
        )
        if line
    )
    mailing = QuarterlyMailing.objects.filter(
        organisation_id=practice.organisation_id, year=year, quarter=quarter
    ).first()
    if mailing is not None and story in mailing.body:
        return mailing
    data = (
        {"body": f"{mailing.body.rstrip()}\n\n{story}"}
        if mailing is not None
        else {
            "subject": _("Information security and privacy: quarter %(quarter)s of %(year)s")
            % {"quarter": quarter, "year": year},
            "body": story,
        }
    )
    mailing = programme_services.mailing_save(organisation=practice.organisation, year=year, quarter=quarter, data=data)
    if not practice.featured:
        practice_feature(practice=practice, featured=True)
    return mailing
