"""The organisation boundary every app's querysets share."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class OrganisationQuerySet(models.QuerySet[M]):
    """Rows that belong to one organisation (municipality): ``visible_to(user)`` keeps those of the user's.

    ``organisation_lookup`` is the path from the row to its organisation's id,
    e.g. ``"plan__organisation_id"`` for a topic. A user without an
    organisation, or not signed in, sees nothing. Querysets that narrow this
    further by role call ``super().visible_to(user)`` first.
    """

    organisation_lookup = "organisation_id"

    def visible_to(self, user: Any) -> OrganisationQuerySet[M]:
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
            return self.none()
        return self.filter(**{self.organisation_lookup: user.organisation_id})
