"""Ambassador levels: points for logged activities by kind and time, and named levels at thresholds.

The rules are the organisation's (``PointsScheme``, with its defaults in ambassadors.models), editable by officers and
shown to ambassadors. An activity earns the points of its kind plus the
points per hour of its kind times its hours; an ambassador's points are the
sum over every activity they logged in the organisation, rounded down. The
level is the highest one whose threshold the points reach. Both are computed
in the database (``with_points``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DecimalField, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Floor

from ambassadors.models import Activity, Recognition


@dataclass(frozen=True)
class Level:
    number: int  # 1 for the first level
    name: str
    points: int


def levels_of(scheme) -> list[Level]:
    rows = sorted(scheme.levels or [], key=lambda row: row["points"])
    return [Level(i + 1, row["name"], int(row["points"])) for i, row in enumerate(rows)]


def activity_points(scheme, prefix: str = ""):
    """The points of one activity row as an SQL expression (``prefix`` reaches the activity through a relation)."""
    whens = []
    for kind, (per_activity, per_hour) in (scheme.points or {}).items():
        whens.append(
            When(
                **{f"{prefix}kind": kind},
                then=Value(Decimal(per_activity)) + F(f"{prefix}hours") * Value(Decimal(per_hour)),
            )
        )
    return Case(*whens, default=Value(Decimal(0)), output_field=DecimalField(max_digits=12, decimal_places=1))


def points_subquery(scheme, user_ref: str = "user_id"):
    """An ambassador's points: every activity they logged in the scheme's organisation, one subquery."""
    total = (
        Activity.objects.filter(user_id=OuterRef(user_ref), organisation_id=scheme.organisation_id)
        .order_by()
        .values("user_id")
        .annotate(p=Sum(activity_points(scheme)))
        .values("p")
    )
    decimal = DecimalField(max_digits=12, decimal_places=1)
    return Floor(Coalesce(Subquery(total, output_field=decimal), Value(Decimal(0)), output_field=decimal))


def level_case(scheme, field: str = "points"):
    """The number of the level the points reach (0 below the first threshold)."""
    whens = [
        When(Q(**{f"{field}__gte": level.points}), then=Value(level.number)) for level in reversed(levels_of(scheme))
    ]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def recognised_subquery(scheme, user_ref: str = "user_id"):
    """The highest level threshold already marked by a recognition of the ambassador (-1 for none)."""
    highest = (
        Recognition.objects.filter(
            ambassador_id=OuterRef(user_ref), organisation_id=scheme.organisation_id, level_points__isnull=False
        )
        .order_by("-level_points")
        .values("level_points")[:1]
    )
    return Coalesce(Subquery(highest, output_field=IntegerField()), Value(-1))


def with_points(queryset, scheme, user_ref: str = "user_id"):
    """Annotate ``points``, ``level_number`` and ``recognised_points`` on rows that refer to an ambassador."""
    return queryset.annotate(points=points_subquery(scheme, user_ref)).annotate(
        level_number=level_case(scheme), recognised_points=recognised_subquery(scheme, user_ref)
    )


@dataclass(frozen=True)
class Standing:
    points: int
    level: Level | None
    next_level: Level | None
    suggest: bool  # a level above the first was reached that no recognition marks yet

    @property
    def to_go(self) -> int | None:
        return None if self.next_level is None else self.next_level.points - self.points


def standing(scheme, points, level_number: int, recognised_points: int) -> Standing:
    levels = levels_of(scheme)
    level = levels[level_number - 1] if level_number else None
    next_level = levels[level_number] if level_number < len(levels) else None
    suggest = level is not None and level.number > 1 and level.points > recognised_points
    return Standing(int(points or 0), level, next_level, suggest)
