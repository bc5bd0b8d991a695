"""Request ids on every log line, and log lines as JSON for a log platform (``LOG_FORMAT=json``).

``RequestIdMiddleware`` takes the id a proxy or load balancer sent in ``X-Request-ID`` (when it is short and
plain) or makes one, answers with it in the same header, and keeps it in a context variable for the request's
duration (with the client's address, ``client_origin``); ``RequestIdFilter`` puts it on every record (``-`` outside a request: workers, commands).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

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
        value = sent if _ACCEPTABLE.fullmatch(sent) else uuid.uuid4().hex
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


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


# The attributes every LogRecord has; anything else was passed in ``extra`` and goes into the JSON as is.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | type(None)) else repr(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)
