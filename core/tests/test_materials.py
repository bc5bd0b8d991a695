"""The one material service (core.materials) and the abstract model both apps' materials inherit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from core import materials, uploads
from core.models import Material as AbstractMaterial
from programme.models import TopicMaterial
from programme.tests.factories import TopicFactory
from training.models import Material
from training.tests.factories import ModuleFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.django_db


def _pdf(name: str = "slides.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def module(org):
    return ModuleFactory(organisation=org)


@pytest.fixture
def topic(org):
    return TopicFactory(plan__organisation=org)


def test_both_apps_inherit_the_one_abstract_material():
    for model in (TopicMaterial, Material):
        assert issubclass(model, AbstractMaterial)
        names = {constraint.name for constraint in model._meta.constraints}
        assert f"{model._meta.app_label}_{model._meta.model_name}_file_xor_link" in names


def test_a_file_is_checked_stored_and_saved(module, officer):
    material = materials.material_create(Material, module=module, title="Slides", file=_pdf(), uploaded_by=officer)
    material.refresh_from_db()
    assert material.original_name == "slides.pdf" and material.url == ""
    assert material.file.name.startswith("training/") and material.file.name.endswith(".pdf")
    assert "slides" not in material.file.name  # a random name, never the uploader's
    with default_storage.open(material.file.name) as handle:
        assert handle.read() == PDF


def test_a_link_is_saved_without_a_file(topic):
    material = materials.material_create(TopicMaterial, topic=topic, title="Site", url="https://example.org/x")
    assert TopicMaterial.objects.get(pk=material.pk).is_link and not material.file


def test_both_or_neither_is_refused_in_words(module, topic):
    with pytest.raises(ValidationError, match="one of the two|een van beide"):
        materials.material_create(Material, module=module, title="Beide", file=_pdf(), url="https://example.org")
    with pytest.raises(ValidationError):
        materials.material_create(TopicMaterial, topic=topic, title="Geen van beide")
    assert not Material.objects.exists() and not TopicMaterial.objects.exists()


@pytest.mark.parametrize("make", ["training", "programme"])
def test_the_database_refuses_both_and_neither(make, module, topic):
    owner = {"module": module} if make == "training" else {"topic": topic}
    model = Material if make == "training" else TopicMaterial
    for values in ({"url": ""}, {"url": "https://example.org", "file": "x/y.pdf"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.create(title="Fout", **owner, **values)


def test_a_refused_upload_is_not_stored(module):
    upload = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        materials.material_create(Material, module=module, title="Nep", file=upload)
    assert not Material.objects.exists()


def test_a_file_a_form_already_checked_is_not_scanned_twice(module, monkeypatch):
    scans = []
    monkeypatch.setattr(uploads, "scan_for_viruses", lambda file: scans.append(file.name))
    upload = _pdf()
    uploads.validate_upload(upload)  # as the form's clean_file does
    materials.material_create(Material, module=module, title="Slides", file=upload)
    other = _pdf("other.pdf")
    materials.material_create(Material, module=module, title="Other", file=other)  # not checked by a form
    assert scans == ["slides.pdf", "other.pdf"]


def test_delete_removes_the_file_after_the_commit(module, django_capture_on_commit_callbacks):
    material = materials.material_create(Material, module=module, title="Slides", file=_pdf())
    name = material.file.name
    with django_capture_on_commit_callbacks(execute=True):
        materials.material_delete(material)
    assert not Material.objects.exists() and not default_storage.exists(name)


def test_a_rolled_back_delete_keeps_its_file(module):
    material = materials.material_create(Material, module=module, title="Slides", file=_pdf())
    pk, name = material.pk, material.file.name
    with pytest.raises(RuntimeError), transaction.atomic():
        materials.material_delete(material)
        raise RuntimeError("the request failed after the delete")
    assert Material.objects.filter(pk=pk).exists() and default_storage.exists(name)
