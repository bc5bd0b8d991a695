"""The topic library's pages: thin; access through accounts.permissions, writes through programme.library.services."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Organisation
from accounts.permissions import (
    can_adopt_publication,
    can_publish_topic,
    can_update_adoption,
    can_use_topic_library,
    can_withdraw_publication,
)
from core.uploads import serve_upload
from programme.library import services
from programme.library.models import Adoption, Publication, PublicationMaterial, Subscription
from programme.models import Topic


def _publishers(user) -> list[Organisation]:
    """The other organisations of the installation that publish something: by name only."""
    ids = Publication.objects.exclude(publisher_id=user.organisation_id).values("publisher_id")
    return list(Organisation.objects.filter(pk__in=ids).only("pk", "name").order_by("name"))


@require_http_methods(["GET", "POST"])
@role_required(can_use_topic_library)
def library(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    publishers = _publishers(request.user)
    if request.method == "POST":
        publisher = next((p for p in publishers if str(p.pk) == request.POST.get("publisher")), None)
        if publisher is None:
            raise Http404
        if request.POST.get("action") == "unsubscribe":
            services.unsubscribe(subscriber=organisation, publisher_id=publisher.pk)
            messages.success(request, _("You no longer follow %(name)s.") % {"name": publisher.name})
        else:
            services.subscribe(subscriber=organisation, publisher=publisher)
            messages.success(request, _("You now follow the publications of %(name)s.") % {"name": publisher.name})
        return redirect("topic_library:index")
    subscribed_ids = set(
        Subscription.objects.filter(subscriber_id=organisation.pk).values_list("publisher_id", flat=True)
    )
    offered = list(
        Publication.objects.filter(publisher_id__in=subscribed_ids)
        .select_related("publisher")
        .order_by("publisher__name", "year", "quarter", "month", "title")
    )
    own = list(Publication.objects.filter(publisher_id=organisation.pk).select_related("source_topic"))
    adoptions = list(
        Adoption.objects.visible_to(request.user)
        .select_related("topic", "topic__plan", "publication")
        .prefetch_related(
            Prefetch("publication__materials", queryset=PublicationMaterial.objects.only("title", "publication_id"))
        )
        .order_by("topic__plan__year", "topic__title")
    )
    adopted_ids = {a.publication_id for a in adoptions}
    return render(
        request,
        "topic_library/library.html",
        {
            "own": own,
            "publishers": [(p, p.pk in subscribed_ids) for p in publishers],
            "offered": offered,
            "adopted_ids": adopted_ids,
            "adoptions": adoptions,
            "updates": [a for a in adoptions if a.newer_available],
        },
    )


def _readable_publication(request: HttpRequest, pk: int) -> Publication:
    return get_object_or_404(
        Publication.objects.readable_by(request.user.organisation_id).select_related("publisher"), pk=pk
    )


@require_GET
@role_required(can_use_topic_library)
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _readable_publication(request, pk)
    year = timezone.localdate().year
    return render(
        request,
        "topic_library/publication.html",
        {
            "publication": publication,
            "materials": publication.materials.all(),
            "can_adopt": can_adopt_publication(request.user, publication),
            "years": [publication.year, year, year + 1]
            if publication.year < year
            else [publication.year, publication.year + 1],
            "adoptions": Adoption.objects.visible_to(request.user)
            .filter(publication=publication)
            .select_related("topic", "topic__plan"),
        },
    )


@require_GET
@role_required(can_use_topic_library)
def publication_material(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(
        PublicationMaterial.objects.filter(
            publication__in=Publication.objects.readable_by(request.user.organisation_id)
        ),
        pk=pk,
    )
    if material.is_link:
        return redirect(material.url)
    return serve_upload(material.file, material.original_name or material.title)


@require_POST
@role_required(can_use_topic_library)
def topic_publish(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.select_related("plan"), pk=pk)
    if not can_publish_topic(request.user, topic):
        raise Http404
    already = Publication.objects.filter(source_topic=topic).exists()
    services.publish(topic=topic)
    if already:
        messages.success(request, _("The publication is updated; subscribers are offered the new version."))
    else:
        messages.success(request, _("The topic is published in the topic library."))
    return redirect("programme:topic", pk=topic.pk)


@require_POST
@role_required(can_use_topic_library)
def publication_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404(Publication, pk=pk)
    if not can_withdraw_publication(request.user, publication):
        raise Http404
    services.withdraw(publication=publication)
    messages.success(request, _("The publication is withdrawn; topics others adopted stay theirs."))
    return redirect("topic_library:index")


@require_POST
@role_required(can_use_topic_library)
def publication_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _readable_publication(request, pk)
    if not can_adopt_publication(request.user, publication):
        raise Http404
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    this_year = timezone.localdate().year
    if not this_year - 1 <= year <= this_year + 2:
        messages.error(request, _("Choose the year of the annual plan to adopt the topic into."))
        return redirect("topic_library:publication", pk=publication.pk)
    topic = services.adopt(publication=publication, organisation=request.user.organisation, year=year)
    messages.success(
        request,
        _("The topic is adopted as a draft in your annual plan %(year)s; adjust it to your organisation.")
        % {"year": year},
    )
    return redirect("programme:topic", pk=topic.pk)


@require_POST
@role_required(can_use_topic_library)
def adoption_update(request: HttpRequest, pk: int) -> HttpResponse:
    adoption = get_object_or_404(
        Adoption.objects.visible_to(request.user).select_related("topic__plan", "publication"), topic_id=pk
    )
    if not can_update_adoption(request.user, adoption):
        raise Http404
    if not adoption.newer_available:
        messages.info(request, _("This topic already has the source's latest version."))
    else:
        services.take_newer_version(adoption=adoption)
        messages.success(request, _("The newer version of the source is taken over."))
    return redirect("programme:topic", pk=adoption.topic_id)
