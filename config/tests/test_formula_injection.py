"""Every export neutralises spreadsheet formulas: text starting with = + - @ tab or CR never runs.

Every free-text field of every row of the demo municipality is made to start with one of those
characters; then every export link the officer and the manager reach is downloaded and opened with
openpyxl and the csv module.
"""

from __future__ import annotations

import csv
import io
import itertools
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from openpyxl import load_workbook

from config.tests.test_hostile_input import SKIP_FIELDS, _client_for, _crawl
from config.tests.test_security import PROJECT_APPS

PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA = '=HYPERLINK("http://evil.invalid","klik")'
EXPORT_LINK = re.compile(r'href="(/[^"]*(?:export|\.csv|\.xlsx)[^"]*)"')
NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)*%?$")


def _poison_every_text_field() -> int:
    prefixes = itertools.cycle(PREFIXES)
    changed = 0
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model._meta.proxy:
            continue
        if model.__name__ in ("AuditEntry", "AuditChainHead", "OutboxMessage", "SentMail"):
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
            and not isinstance(f, (models.EmailField, models.URLField, models.SlugField))
            and not f.choices
            and not f.unique
            and f.name not in SKIP_FIELDS
            and (f.max_length is None or f.max_length >= 20)
        ]
        if not fields:
            continue
        for obj in model.objects.all():
            values = {}
            for field in fields:
                value = f"{next(prefixes)}{FORMULA}{getattr(obj, field.name) or ''}"
                values[field.name] = value[: field.max_length] if field.max_length else value
            model.objects.filter(pk=obj.pk).update(**values)
            changed += 1
    return changed


def _cells(response) -> list[tuple[str, object, str]]:
    body = b"".join(response) if getattr(response, "streaming", False) else response.content
    kind = response["Content-Type"]
    if "spreadsheetml" in kind:
        workbook = load_workbook(io.BytesIO(body))
        return [
            (sheet.title, cell.value, cell.data_type)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        ]
    text = body.decode("utf-8-sig")
    return [("csv", value, "s") for row in csv.reader(io.StringIO(text), delimiter=";") for value in row]


@pytest.mark.django_db(transaction=True)
def test_every_export_neutralises_formulas():
    call_command("seed_demo")
    assert _poison_every_text_field() > 100
    exports: dict[str, object] = {}
    for email in ("ciso@voorbeeld.nl", "privacy@voorbeeld.nl", "manager@voorbeeld.nl", "ambassadeur@voorbeeld.nl"):
        client = _client_for(email)
        for _path, content in _crawl(client, limit=200):
            for link in EXPORT_LINK.findall(content):
                exports.setdefault(link.replace("&amp;", "&"), client)
    # The register's export is a button of its filter form, not a link.
    privacy = _client_for("privacy@voorbeeld.nl")
    exports.update({"/datalekken/register/?export=csv": privacy, "/datalekken/register/?export=xlsx": privacy})
    # Activities, feedback, data leaks, topics, training, hours (per department), the programme's tables and
    # survey results with their open answers, each as CSV and XLSX.
    assert {"activities", "feedback", "dataleaks", "resultaten", "kpis", "register"} <= {
        part for link in exports for part in re.split(r"[/.?=]", link)
    }, sorted(exports)
    offenders, poisoned_seen = [], 0
    for link, client in exports.items():
        response = client.get(link)
        if response.status_code != 200 or not response.get("Content-Disposition", "").startswith("attachment"):
            continue
        for sheet, value, data_type in _cells(response):
            if data_type == "f":
                offenders.append(f"{link} {sheet}: formula cell {value!r:.60}")
            if not isinstance(value, str):
                continue
            if "HYPERLINK" in value:
                poisoned_seen += 1
            if value.startswith(PREFIXES) and not NUMBER.match(value):
                offenders.append(f"{link} {sheet}: {value!r:.60}")
    assert poisoned_seen > 20, "the poisoned text did not reach the exports"
    assert not offenders, "\n".join(offenders[:20])
