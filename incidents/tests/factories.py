from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from incidents.models import DataLeak
from incidents.services.intake import allocate_reference


class DataLeakFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataLeak

    organisation = factory.LazyAttribute(lambda o: o.department.organisation)
    reported_by = None
    category = "email_wrong_recipient"
    description = "Mail met een uitkeringsbesluit naar de verkeerde ontvanger gestuurd."
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=3))
    discovered_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=2))
    # The clock starts at the discovery, as in the intake.
    aware_at = factory.LazyAttribute(lambda o: o.discovered_at)
    created_at = factory.LazyFunction(timezone.now)
    data_kinds = factory.LazyFunction(lambda: ["name_address"])
    contact_name = "Anna Medewerker"
    contact_email = "anna@voorbeeld.test"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        created = kwargs["created_at"]
        year = timezone.localtime(created).year
        number, reference = allocate_reference(organisation_id=kwargs["organisation"].pk, year=year)
        kwargs.setdefault("year", year)
        kwargs.setdefault("number", number)
        kwargs.setdefault("reference", reference)
        return super()._create(model_class, *args, **kwargs)
