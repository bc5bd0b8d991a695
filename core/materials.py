"""The one way to add and remove material (a topic's or a training module's file or link).

Create: the upload is checked (``core.uploads.validate_upload``, once per uploaded file: a form that already
checked it is not scanned twice), exactly one of file and link is required, the file is stored through the
storage API under a random name, the row is saved. Delete: the row goes, and the stored file after the commit
(a rolled-back delete keeps its file).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from core.models import Material
from core.uploads import ensure_valid_upload

M = TypeVar("M", bound=Material)


def material_create(model: type[M], *, title: str, file: UploadedFile | None = None, url: str = "", **fields: Any) -> M:
    """A new ``model`` row (``fields`` name its owner: ``topic=`` or ``module=``, ``uploaded_by=``)."""
    material = model(title=title, url=url or "", **fields)
    if file:
        ensure_valid_upload(file)
        material.original_name = (file.name or "")[:255]
        material.file = file
    material.clean()
    with transaction.atomic():
        material.save()  # the file is written to the storage here, under the field's random upload_to
    return material


def material_delete(material: Material) -> None:
    """Remove the row, and its stored file once the removal is committed."""
    name, storage = material.file.name, material.file.storage
    with transaction.atomic():
        material.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))
