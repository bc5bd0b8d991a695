import pytest
from django.core.management import call_command

from accounts.models import Department, Officer, Organisation, User
from accounts.permissions import get_roles
from ambassadors.models import Appointment

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_two_municipalities_with_every_role():
    call_command("seed_demo")
    voorbeeld = Organisation.objects.get(slug="voorbeeld")
    assert User.objects.filter(organisation=voorbeeld).count() >= 60
    assert Organisation.objects.filter(slug="naburig").exists()
    assert get_roles(User.objects.get(email="ciso@voorbeeld.nl")).is_ciso
    assert get_roles(User.objects.get(email="privacy@voorbeeld.nl")).is_privacy_officer
    assert get_roles(User.objects.get(email="manager@voorbeeld.nl")).is_manager
    assert get_roles(User.objects.get(email="ambassadeur@voorbeeld.nl")).is_ambassador
    assert not get_roles(User.objects.get(email="medewerker@voorbeeld.nl")).is_manager


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    counts = (User.objects.count(), Department.objects.count(), Officer.objects.count(), Appointment.objects.count())
    call_command("seed_demo")
    assert counts == (
        User.objects.count(),
        Department.objects.count(),
        Officer.objects.count(),
        Appointment.objects.count(),
    )


def test_seed_demo_if_empty_leaves_existing_data_alone(org):
    call_command("seed_demo", if_empty=True)
    assert not Organisation.objects.filter(slug="naburig").exists()
