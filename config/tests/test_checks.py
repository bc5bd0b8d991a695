"""Django's system checks, the database ones included (migrate runs those), are clean on the database in use."""

import pytest
from django.core import checks


@pytest.mark.django_db
def test_database_checks_are_clean():
    # On SQLite a covering index (Index(include=...)) made every manage.py call print models.W040.
    issues = [issue for issue in checks.run_checks(databases=["default"]) if issue.level >= checks.WARNING]
    assert issues == []
