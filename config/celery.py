"""The Celery application. Tasks live in each app's ``tasks.py``.

Its signals: the worker and beat log through Django's ``LOGGING`` (so ``LOG_FORMAT=json`` holds for them too), a
task queued during a request carries the request id in its message headers and the worker's lines during that task
carry it on (core/logging.py), and a failed task is counted for the metrics (config/metrics.py).
"""

import os
from contextvars import Token
from typing import Any

from celery import Celery
from celery.signals import before_task_publish, setup_logging, task_failure, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ambassadeurs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

REQUEST_ID_HEADER = "request_id"
_request_id_tokens: dict[str, Token] = {}


@setup_logging.connect
def use_django_logging(**kwargs: Any) -> None:
    """Instead of Celery's own handlers: the settings' LOGGING, with the request id on every line."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@before_task_publish.connect
def carry_request_id(headers: dict | None = None, **kwargs: Any) -> None:
    from core.logging import request_id

    value = request_id.get()
    if headers is not None and value != "-":
        headers.setdefault(REQUEST_ID_HEADER, value)


@task_prerun.connect
def take_request_id(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    """The id the task's message carries; a task run eagerly inside a request keeps the request's."""
    from core.logging import acceptable, request_id

    sent = None
    if task is not None:  # a worker has the message's headers on the request, an eager call under "headers"
        sent = task.request.get(REQUEST_ID_HEADER) or (task.request.get("headers") or {}).get(REQUEST_ID_HEADER)
    value = sent if acceptable(sent) else request_id.get()
    if task_id is not None:
        _request_id_tokens[task_id] = request_id.set(value)


@task_postrun.connect
def forget_request_id(task_id: str | None = None, **kwargs: Any) -> None:
    from core.logging import request_id

    token = _request_id_tokens.pop(task_id, None) if task_id is not None else None
    if token is not None:
        try:
            request_id.reset(token)
        except ValueError:  # set in another context (a thread pool): leave that context as it was
            request_id.set("-")


@task_failure.connect
def count_task_failure(sender: Any = None, **kwargs: Any) -> None:
    from config.metrics import record_task_failure

    record_task_failure(getattr(sender, "name", None) or "unknown")
