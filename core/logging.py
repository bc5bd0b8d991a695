"""Request ids on every log line, and log lines as JSON for a log platform (``LOG_FORMAT=json``).

``RequestIdMiddleware`` takes the id a proxy or load balancer sent in ``X-Request-ID`` (when it is short and
plain) or makes one, answers with it in the same header, and keeps it in a context variable for the request's
duration (with the client's address, ``client_origin``); ``RequestIdFilter`` puts it on every record (``-`` outside a
request and a task: commands, beat). A task queued during a request carries the id in its message headers and the
worker's lines during that task carry it too (``config/celery.py``: ``carry_request_id`` and ``take_request_id``).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import pythonjsonlogger.json
from django.http import HttpRequest, HttpResponse

from core import client_address

request_id: ContextVar[str] = ContextVar("request_id", default="-")
# The client's address (through the trusted proxies) for the request's duration: a service that logs an access
# reads it here instead of being handed the request ("" outside a request).
client_origin: ContextVar[str] = ContextVar("client_origin", default="")
HEADER = "X-Request-ID"
_ACCEPTABLE = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sent = request.headers.get(HEADER, "")
        value = sent if acceptable(sent) else uuid.uuid4().hex
        request.request_id = value
        token = request_id.set(value)
        origin = client_origin.set(client_address.client_ip(request))
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
            client_origin.reset(origin)
        response[HEADER] = value
        return response


def acceptable(value: object) -> bool:
    """An id short and plain enough to put on log lines: letters, digits and ``._:-``, at most 64 characters."""
    return isinstance(value, str) and _ACCEPTABLE.fullmatch(value) is not None


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        value = request_id.get()
        if value == "-":
            # Django logs a 4xx/5xx response ("Not Found: ...") after the middleware returned, with the request.
            value = getattr(getattr(record, "request", None), "request_id", value)
        record.request_id = value
        return True


class JsonFormatter(pythonjsonlogger.json.JsonFormatter):
    """One JSON object per line (python-json-logger): time (UTC, ISO 8601), level, logger, message, request_id,
    whatever was passed in ``extra``, and an exception or stack as one escaped string."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", ["levelname", "name", "message", "request_id"])
        kwargs.setdefault(
            "rename_fields",
            {"levelname": "level", "name": "logger", "exc_info": "exception", "stack_info": "stack"},
        )
        kwargs.setdefault("timestamp", "time")
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        super().add_fields(log_data, record, message_dict)
        if log_data.get("request_id") is None:  # a handler without RequestIdFilter
            log_data["request_id"] = request_id.get()
