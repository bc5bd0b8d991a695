"""A choice field's label, looked up in a dictionary made once per model, field and language.

``obj.get_FOO_display()`` flattens the field's choices and translates every label on each call; a list page of
50 rows with four such columns spent more time there than in its query. ``{{ obj|choice:"status" }}``
(``core_tags``) gives the same text.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


@functools.lru_cache(maxsize=1024)
def _labels(model: type[models.Model], field_name: str, language: str | None) -> dict[Any, str]:
    field = model._meta.get_field(field_name)
    return {make_hashable(value): str(label) for value, label in field.flatchoices}


def choice_label(obj: models.Model, field_name: str) -> Any:
    """What ``obj.get_<field_name>_display()`` returns, without rebuilding the choices."""
    value = getattr(obj, field_name)
    labels = _labels(obj._meta.concrete_model, field_name, get_language())
    return force_str(labels.get(make_hashable(value), value), strings_only=True)
