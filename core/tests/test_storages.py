"""Uploads through Django's storage API: what one web server stored, another serves; no file paths or public URLs.

"Server B" is a second storage instance on the same folder, as another web server sees a shared store (an NFS
folder, or one S3 bucket): a file uploaded through server A's instance must be downloadable through B's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

PDF = b"%PDF-1.4 bewijs van server A"


class ServerB(FileSystemStorage):
    """Another server's view of the store; it refuses paths and URLs, so nothing may rely on them."""

    opened: list[str] = []

    def _open(self, name, mode="rb"):
        ServerB.opened.append(name)
        return super()._open(name, mode)

    def path(self, name):
        # FileSystemStorage itself works on paths; anyone else asking has none on an object store.
        caller = sys._getframe(1).f_code.co_filename
        if not caller.endswith(os.path.join("django", "core", "files", "storage", "filesystem.py")):
            raise NotImplementedError("server B has no local paths (as an object store has none)")
        return super().path(name)

    def url(self, name):
        raise NotImplementedError("uploads are never handed out by URL")


def _switch_to_server_b(settings) -> None:
    ServerB.opened = []
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.ServerB", "OPTIONS": {"location": str(settings.MEDIA_ROOT)}},
    }


def test_the_default_storage_is_the_local_folder(settings):
    from django.core.files.storage import storages

    assert django_settings.STORAGE_BACKEND == "local"
    assert type(storages["default"]) is FileSystemStorage
    assert storages["default"].location == str(settings.MEDIA_ROOT)


def test_an_attachment_uploaded_on_server_a_is_downloaded_through_server_b(
    client_as, staff_a, privacy_officer, team_a, settings
):
    from incidents.tests.factories import DataLeakFactory

    leak_a = DataLeakFactory(department=team_a, reported_by=staff_a)
    upload = SimpleUploadedFile("scherm.pdf", PDF, content_type="application/pdf")
    response = client_as(staff_a).post(
        reverse("incidents:add_information", args=[leak_a.pk]), {"text": "Bijlage", "attachments": [upload]}
    )
    assert response.status_code == 302
    attachment = leak_a.attachments.get()
    _switch_to_server_b(settings)
    response = client_as(privacy_officer).get(reverse("incidents:attachment", args=[leak_a.pk, attachment.pk]))
    assert response.status_code == 200 and response.getvalue() == PDF
    assert response["Content-Disposition"] == 'attachment; filename="scherm.pdf"'
    assert ServerB.opened == [attachment.file.name]


def test_an_hr_import_checked_on_server_a_is_applied_on_server_b(client_as, officer, settings):
    from accounts.models import User

    client = client_as(officer)
    csv = b"e-mailadres;naam;afdelingscode;afdeling\nb.b@voorbeeld.test;B B;ICT;ICT\n"
    response = client.post(reverse("accounts:hr_import"), {"file": SimpleUploadedFile("hr.csv", csv)})
    assert response.status_code == 200 and response.context["plan"].ok
    _switch_to_server_b(settings)
    response = client.post(reverse("accounts:hr_import"), {"confirm": "1", "token": response.context["token"]})
    assert response.status_code == 302 and User.objects.filter(email="b.b@voorbeeld.test").exists()
    assert len(ServerB.opened) == 1 and ServerB.opened[0].startswith("imports/")
    assert not default_storage.exists(ServerB.opened[0])  # removed from the shared store once applied


@pytest.mark.django_db
def test_the_organisation_logo_is_served_through_server_b(client_as, staff_a, settings):
    from django.core.files.base import ContentFile

    organisation = staff_a.organisation
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    organisation.logo.save("logo.png", ContentFile(png), save=True)
    _switch_to_server_b(settings)
    response = client_as(staff_a).get(reverse("accounts:organisation_logo"))
    assert response.status_code == 200 and response.getvalue() == png
    assert ServerB.opened == [organisation.logo.name]


def test_s3_is_selected_by_environment_variables():
    """STORAGE_BACKEND=s3 configures django-storages' S3Storage from the AWS_* variables (no network needed)."""
    env = {
        **os.environ,
        "STORAGE_BACKEND": "s3",
        "AWS_STORAGE_BUCKET_NAME": "ambassadeurs-uploads",
        "AWS_S3_ENDPOINT_URL": "https://s3.gemeente.example",
        "AWS_S3_REGION_NAME": "nl-ams",
        "AWS_ACCESS_KEY_ID": "key",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    script = (
        "import django, json; django.setup(); "
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(json.dumps([type(s).__module__, s.bucket_name, s.endpoint_url, "
        "s.region_name, s.default_acl, s.querystring_auth, s.file_overwrite]))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module, bucket, endpoint, region, acl, signed, overwrite = json.loads(output.strip().splitlines()[-1])
    assert module == "storages.backends.s3"
    assert (bucket, endpoint, region) == ("ambassadeurs-uploads", "https://s3.gemeente.example", "nl-ams")
    assert acl is None and signed is True and overwrite is False  # private objects, never overwritten


def test_an_unknown_storage_backend_is_refused():
    env = {**os.environ, "STORAGE_BACKEND": "ftp", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "STORAGE_BACKEND is local or s3" in result.stderr


def test_a_training_material_uploaded_on_server_a_is_downloaded_and_removed_through_server_b(
    client_as, officer, org, settings, django_capture_on_commit_callbacks
):
    from training.models import Material
    from training.tests.factories import ModuleFactory

    module = ModuleFactory(organisation=org)
    client = client_as(officer)
    upload = SimpleUploadedFile("slides.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("training:module_detail", args=[module.pk]), {"title": "Slides", "file": upload})
    assert response.status_code == 302
    material = Material.objects.get(module=module)
    _switch_to_server_b(settings)
    response = client.get(reverse("training:material_download", args=[material.pk]))
    assert response.status_code == 200 and response.getvalue() == PDF
    assert ServerB.opened == [material.file.name]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("training:material_delete", args=[material.pk])).status_code == 302
    assert not default_storage.exists(material.file.name) and not Material.objects.exists()
