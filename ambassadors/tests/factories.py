from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from accounts.tests.factories import OrganisationFactory, UserFactory
from ambassadors.models import Appointment


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    term_start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    term_end = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=335))
    hours_per_month = 8

    @factory.post_generation
    def departments(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.departments.set(extracted)
