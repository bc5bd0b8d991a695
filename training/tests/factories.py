from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from accounts.tests.factories import OrganisationFactory, UserFactory
from training.models import Enrolment, Material, Module, TrainingSession


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    organisation = factory.SubFactory(OrganisationFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    title = factory.Sequence(lambda n: f"Module {n}")
    description = "Leerdoelen"
    is_mandatory = True


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    module = factory.SubFactory(ModuleFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    location = "Stadhuis, zaal 1"
    external_trainer = "Extern Bureau"
    capacity = 10


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)
    status = Enrolment.Status.ENROLLED


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    module = factory.SubFactory(ModuleFactory)
    title = factory.Sequence(lambda n: f"Hand-out {n}")
    url = "https://example.org/handout"
