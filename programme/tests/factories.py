from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from accounts.tests.factories import OrganisationFactory
from programme.models import AnnualPlan, BudgetLine, Goal, Kpi, Message, QuarterlyMailing, Topic, TopicSuggestion


class AnnualPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualPlan
        django_get_or_create = ["organisation", "year"]

    organisation = factory.SubFactory(OrganisationFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    title = factory.LazyAttribute(lambda o: f"Jaarplan {o.year}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    plan = factory.SubFactory(AnnualPlanFactory)
    title = factory.Sequence(lambda n: f"Onderwerp {n}")
    key_message = "Meld een datalek direct."
    quarter = 1
    channels = factory.LazyFunction(lambda: ["newsletter"])


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    topic = factory.SubFactory(TopicFactory)
    channel = "intranet"
    planned_on = factory.LazyAttribute(lambda o: o.topic.starts_on)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    organisation = factory.SubFactory(OrganisationFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    title = factory.Sequence(lambda n: f"Doel {n}")


class KpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kpi

    goal = factory.SubFactory(GoalFactory)
    name = factory.Sequence(lambda n: f"KPI {n}")
    unit = "procent"
    target = 10
    period_start = factory.LazyAttribute(lambda o: datetime.date(o.goal.year, 1, 1))
    period_end = factory.LazyAttribute(lambda o: datetime.date(o.goal.year, 12, 31))


class MailingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarterlyMailing

    organisation = factory.SubFactory(OrganisationFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    quarter = 1
    subject = "De onderwerpen van dit kwartaal"
    body = "Beste collega,"


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    organisation = factory.SubFactory(OrganisationFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    category = "training"
    description = factory.Sequence(lambda n: f"Post {n}")
    planned = 1000
    actual = 500


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicSuggestion

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Suggestie {n}")
    source = TopicSuggestion.Source.AMBASSADOR
