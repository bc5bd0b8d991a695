"""The benchmark's bare page: a one-line template with the user's name, the cost of a signed-in request itself."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bare(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    return render(request, "bench/bare.html")
