"""core.deletion: the one deletion flow (GET asks, POST deletes through the service)."""

from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from core import deletion


def _request(method: str):
    request = getattr(RequestFactory(), method)("/weg/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _page(monkeypatch) -> list[dict]:
    shown: list[dict] = []

    def render(request, template, context):
        shown.append({"template": template, **context})
        return HttpResponse("asked")

    monkeypatch.setattr(deletion, "render", render)
    return shown


def _delete(request, deleted: list, fails: bool = False, **kwargs):
    def delete():
        if fails:
            raise ValidationError("Er hangen nog metingen aan.")
        deleted.append(True)

    return deletion.confirm_delete(
        request,
        delete=delete,
        done="Verwijderd.",
        next_url="/lijst/",
        title="Verwijder het doel",
        question="Het doel verdwijnt.",
        cancel_url="/doel/",
        **kwargs,
    )


def test_it_asks_on_get_and_deletes_nothing(monkeypatch):
    shown, deleted = _page(monkeypatch), []
    assert _delete(_request("get"), deleted).content == b"asked"
    assert not deleted and shown[0]["template"] == "core/confirm_delete.html" and shown[0]["refusal"] is None


def test_it_deletes_on_post_says_so_and_goes_on(monkeypatch):
    deleted, request = [], _request("post")
    response = _delete(request, deleted)
    assert deleted and response.status_code == 302 and response.url == "/lijst/"
    assert [str(message) for message in get_messages(request)] == ["Verwijderd."]


def test_a_refusal_keeps_the_record_and_is_shown(monkeypatch):
    shown, deleted = _page(monkeypatch), []
    _delete(_request("post"), deleted, refusal="Er hangen nog metingen aan.")
    assert not deleted and shown[0]["refusal"] == "Er hangen nog metingen aan."
    _delete(_request("post"), deleted, fails=True)
    assert not deleted and shown[1]["refusal"] == "Er hangen nog metingen aan."
