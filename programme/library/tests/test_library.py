"""The topic library: publish, follow, adopt, newer versions offered; access by role and organisation; and
nothing of the publisher but the publication reaches the subscriber's pages and exports."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import DepartmentFactory, OfficerFactory, UserFactory
from core import materials
from programme.library import services
from programme.library.models import Adoption, Publication, PublicationMaterial, Subscription
from programme.models import Topic, TopicMaterial
from programme.tests.factories import AnnualPlanFactory, TopicFactory

SECRET = "ALLEEN-BIJ-DE-UITGEVER"


@pytest.fixture
def source_topic(other_org):
    department = DepartmentFactory(organisation=other_org, name=f"Afdeling {SECRET}", code="NB9")
    owner = UserFactory(organisation=other_org, department=department, full_name=f"Eigenaar {SECRET}")
    plan = AnnualPlanFactory(organisation=other_org, status="published")
    topic = TopicFactory(
        plan=plan,
        title="Maand van de cybersecurity",
        key_message="Gebruik een wachtwoordzin.",
        target_audience="Alle medewerkers",
        channels=["newsletter", "intranet"],
        month=10,
        quarter=None,
        department=department,
        owner=owner,
        status="published",
    )
    materials.material_create(TopicMaterial, topic=topic, title="Poster oktober", url="https://example.org/poster")
    materials.material_create(
        TopicMaterial,
        topic=topic,
        title="Handout",
        file=SimpleUploadedFile("handout.pdf", b"%PDF-1.4 handout", content_type="application/pdf"),
    )
    return topic


@pytest.fixture
def other_ciso(other_org, source_topic):
    user = UserFactory(organisation=other_org, full_name=f"CISO {SECRET}", email="ciso@naburig.test")
    OfficerFactory(user=user, kind="ciso")
    return user


@pytest.fixture
def publication(source_topic):
    return services.publish(topic=source_topic)


@pytest.fixture
def subscribed(org, other_org, publication):
    return services.subscribe(subscriber=org, publisher=other_org)


@pytest.mark.django_db
def test_publish_copies_the_topic_and_its_materials_only(publication, source_topic):
    assert publication.title == "Maand van de cybersecurity"
    assert publication.month == 10 and publication.channels == ["newsletter", "intranet"]
    assert sorted(m.title for m in publication.materials.all()) == ["Handout", "Poster oktober"]
    handout = publication.materials.get(title="Handout")
    assert handout.file.name != source_topic.materials.get(title="Handout").file.name
    assert handout.file.read() == b"%PDF-1.4 handout"
    assert not {f.name for f in Publication._meta.get_fields()} & {"department", "owner", "messages"}


@pytest.mark.django_db
def test_adopt_makes_a_draft_copy_with_its_source_and_newer_versions_are_offered_not_imposed(
    org, subscribed, publication, source_topic
):
    year = timezone.localdate().year
    topic = services.adopt(publication=publication, organisation=org, year=year)
    assert topic.plan.organisation == org and topic.status == Topic.Status.DRAFT
    assert topic.department is None and topic.owner is None
    assert topic.adoption.publisher_name == "Gemeente Naburig"
    assert sorted(topic.materials.values_list("title", flat=True)) == ["Handout", "Poster oktober"]
    assert not topic.adoption.newer_available

    # The subscriber adjusts the audience; the publisher changes the key message and republishes.
    Topic.objects.filter(pk=topic.pk).update(target_audience="Team Balie")
    source_topic.key_message = "Zet tweestapsverificatie aan."
    source_topic.save()
    services.publish(topic=source_topic)
    topic.refresh_from_db()
    assert topic.key_message == "Gebruik een wachtwoordzin."  # never imposed
    adoption = Adoption.objects.get(topic=topic)
    assert adoption.newer_available
    assert adoption.changes() == ["kernboodschap"]

    services.take_newer_version(adoption=adoption)
    topic.refresh_from_db()
    assert topic.key_message == "Zet tweestapsverificatie aan."
    assert topic.target_audience == "Team Balie"  # the subscriber's own change stays
    assert not Adoption.objects.get(topic=topic).newer_available


@pytest.mark.django_db
def test_anonymous_and_roles_without_the_library_are_refused(
    client_as, ambassador_a, manager_a, privacy_officer, staff_a
):
    url = reverse("topic_library:index")
    assert client_as(None).get(url).status_code in (302, 403)
    for user in (ambassador_a, manager_a, privacy_officer, staff_a):
        assert client_as(user).get(url).status_code == 403


@pytest.mark.django_db
def test_a_ciso_follows_browses_and_adopts(client_as, officer, org, other_org, publication):
    client = client_as(officer)
    page = client.get(reverse("topic_library:index"))
    assert page.status_code == 200 and "Gemeente Naburig" in page.content.decode()
    detail = reverse("topic_library:publication", args=[publication.pk])
    assert client.get(detail).status_code == 404  # not followed yet
    client.post(reverse("topic_library:index"), {"publisher": other_org.pk, "action": "subscribe"})
    assert Subscription.objects.filter(subscriber=org, publisher=other_org).exists()
    assert client.get(detail).status_code == 200
    material = publication.materials.get(title="Handout")
    assert client.get(reverse("topic_library:material", args=[material.pk])).status_code == 200
    response = client.post(
        reverse("topic_library:publication_adopt", args=[publication.pk]), {"year": timezone.localdate().year}
    )
    topic = Topic.objects.get(plan__organisation=org)
    assert response.status_code == 302 and response["Location"] == reverse("programme:topic", args=[topic.pk])
    page = client.get(reverse("programme:topic", args=[topic.pk])).content.decode()
    assert "Gemeente Naburig" in page
    client.post(reverse("topic_library:index"), {"publisher": other_org.pk, "action": "unsubscribe"})
    assert client.get(detail).status_code == 404


@pytest.mark.django_db
def test_only_a_ciso_or_iso_of_the_organisation_publishes_and_withdraws(
    client_as, officer, privacy_officer, other_ciso, source_topic, org
):
    url = reverse("topic_library:topic_publish", args=[source_topic.pk])
    assert client_as(officer).post(url).status_code == 404  # another organisation's topic
    assert client_as(privacy_officer).post(url).status_code == 403
    assert client_as(other_ciso).post(url).status_code == 302
    publication = Publication.objects.get(source_topic=source_topic)
    withdraw = reverse("topic_library:publication_withdraw", args=[publication.pk])
    assert client_as(officer).post(withdraw).status_code == 404
    assert client_as(other_ciso).post(withdraw).status_code == 302
    assert not Publication.objects.exists() and not PublicationMaterial.objects.exists()


@pytest.mark.django_db
def test_adopting_needs_a_subscription_and_a_sensible_year(client_as, officer, publication, subscribed, org):
    url = reverse("topic_library:publication_adopt", args=[publication.pk])
    response = client_as(officer).post(url, {"year": "abc"})
    assert response.status_code == 302 and not Topic.objects.filter(plan__organisation=org).exists()
    Subscription.objects.all().delete()
    assert client_as(officer).post(url, {"year": timezone.localdate().year}).status_code == 404


@pytest.mark.django_db
def test_updating_an_adoption_is_for_its_own_organisation(client_as, officer, other_ciso, publication, subscribed, org):
    topic = services.adopt(publication=publication, organisation=org, year=timezone.localdate().year)
    url = reverse("topic_library:adoption_update", args=[topic.pk])
    assert client_as(other_ciso).post(url).status_code == 404
    assert client_as(officer).post(url).status_code == 302


@pytest.mark.django_db
def test_the_subscribers_pages_and_exports_show_nothing_of_the_publisher_beyond_the_publication(
    client_as, officer, org, publication, subscribed, other_ciso, django_assert_max_num_queries
):
    """Every page of our organisation an officer reaches without parameters, the library pages and the adopted
    topic (with its exports) never show the publisher's department, owner or officers."""
    from config.tests.test_security import project_urls

    topic = services.adopt(publication=publication, organisation=org, year=timezone.localdate().year)
    client = client_as(officer)
    paths = [
        reverse("topic_library:index"),
        reverse("topic_library:publication", args=[publication.pk]),
        reverse("programme:topic", args=[topic.pk]),
    ]
    year = str(timezone.localdate().year)
    paths += [
        "/" + route.replace("<year:year>", year).lstrip("/")
        for name, route, _pattern in project_urls()
        if "<" not in route.replace("<year:year>", "") and not name.startswith(("account_", "mfa_"))
    ]
    failures = []
    for path in dict.fromkeys(paths):
        response = client.get(path)
        content = b"".join(response) if getattr(response, "streaming", False) else response.content
        if SECRET.encode() in content:
            failures.append(path)
    assert not failures, failures
    with django_assert_max_num_queries(20):
        client.get(reverse("topic_library:index"))
