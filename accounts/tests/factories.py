from __future__ import annotations

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt

from accounts.models import Department, Officer, Organisation, User

TEST_PASSWORD = "Test-wachtwoord-2026"
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    slug = factory.Sequence(lambda n: f"gemeente-{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Afdeling {n}")
    code = factory.Sequence(lambda n: f"AFD{n}")
    level = Department.Level.UNIT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"medewerker{n}@voorbeeld.test")
    full_name = factory.Sequence(lambda n: f"Medewerker {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    department = factory.SubFactory(DepartmentFactory, organisation=factory.SelfAttribute("..organisation"))
    job_title = "Adviseur"

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    user = factory.SubFactory(UserFactory)
    kind = Officer.Kind.CISO


def enable_totp(user: User, secret: str = TEST_TOTP_SECRET) -> Authenticator:
    return Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)})


def totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counter = list(yield_hotp_counters_from_time())[len(list(yield_hotp_counters_from_time())) // 2]
    return format_hotp_value(hotp_value(secret, counter))
