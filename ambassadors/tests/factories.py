from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.tests.factories import DepartmentFactory, OrganisationFactory, UserFactory
from ambassadors.models import Activity, Appointment, Event, Feedback, Nomination, Recognition


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


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    organisation = factory.SubFactory(OrganisationFactory)
    nominee = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    nominated_by = factory.SelfAttribute("nominee")
    department = factory.SelfAttribute("nominee.department")
    motivation = "Ik wil mijn collega's helpen."
    affinity = "Cursus privacy gevolgd."
    influence = "Veel collega's vragen mij om advies."
    hours_available = Decimal("6")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    department = factory.SelfAttribute("user.department")
    kind = Activity.Kind.TALK
    date = factory.LazyFunction(timezone.localdate)
    hours = Decimal("1.5")
    colleagues_reached = 10
    note = "Teamoverleg"


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    organisation = factory.SelfAttribute("department.organisation")
    department = factory.SubFactory(DepartmentFactory)
    category = Feedback.Category.PROCEDURE
    message = "De procedure werkt niet in de praktijk."


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Ambassadeursoverleg {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1))
    location = "Stadhuis, zaal 1"
    agenda = "Opening en ervaringen"


class RecognitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recognition

    organisation = factory.SelfAttribute("ambassador.organisation")
    ambassador = factory.SubFactory(UserFactory)
    kind = Recognition.Kind.THANKS
    title = "Dank je wel"
    message = "Voor je inzet."
