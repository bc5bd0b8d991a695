"""The soak's load (``manage.py bench_soak`` runs it with Locust, headless, on loopback).

Signed-in people as the benchmark database holds them, each with the session the soak command made for them
(``SOAK_SESSIONS``, a JSON file: role -> list of session keys): colleagues who read their pages and now and then
report a data leak, officers and managers on their dashboards and lists, ambassadors on theirs. Every response is
written to ``SOAK_SAMPLES`` (one line each: seconds since the start, milliseconds, 0/1 failed) when the run ends, so
the command can compare the first and the last minute. A page that does not answer 200, or a report that is not
confirmed, is a failure.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from datetime import datetime, timedelta

from locust import HttpUser, between, events, task

SESSIONS = json.loads(open(os.environ["SOAK_SESSIONS"]).read())  # noqa: SIM115 - read once at import
STARTED = time.monotonic()
SAMPLES: list[tuple[float, float, int]] = []
TOKEN = re.compile(r'name="(csrfmiddlewaretoken|idempotency_token)" value="([^"]+)"')


@events.request.add_listener
def record(response_time: float, exception: BaseException | None, **kwargs) -> None:
    SAMPLES.append((time.monotonic() - STARTED, response_time, int(exception is not None)))


@events.quitting.add_listener
def write_samples(**kwargs) -> None:
    with open(os.environ["SOAK_SAMPLES"], "w") as out:
        out.writelines(f"{at:.3f} {ms:.1f} {failed}\n" for at, ms, failed in SAMPLES)


class SignedIn(HttpUser):
    abstract = True
    role = ""

    def on_start(self) -> None:
        self.session = random.choice(SESSIONS[self.role])
        self.client.cookies.set("sessionid", self.session["key"])

    def page(self, path: str, name: str | None = None) -> None:
        self.client.get(path, name=name or path, allow_redirects=False)


class Colleague(SignedIn):
    """Most people: their start page, their reports, their preferences; a data-leak report now and then."""

    weight = 6
    role = "staff"
    wait_time = between(3, 10)

    @task(4)
    def home(self) -> None:
        self.page("/")

    @task(2)
    def my_reports(self) -> None:
        self.page("/datalekken/mijn-meldingen/")

    @task(1)
    def preferences(self) -> None:
        self.page("/mensen/voorkeuren/")

    @task(1)
    def report(self) -> None:
        form = self.client.get("/datalekken/melden/", name="/datalekken/melden/ (form)")
        tokens = dict(TOKEN.findall(form.text))
        now = datetime.now()
        data = {
            **tokens,
            "category": "email_wrong_recipient",
            "description": f"Soak: een mail met persoonsgegevens naar de verkeerde ontvanger ({random.random()}).",
            "occurred_at": (now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "discovered_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "department": str(self.session["department"]),
            "data_kinds": "name_address",
            "affected_estimate": "1",
            "ongoing": "no",
            "actions_taken": "Ontvanger gevraagd de mail te verwijderen.",
            "contact_email": self.session["email"],
        }
        with self.client.post(
            "/datalekken/melden/", data=data, name="/datalekken/melden/ (post)", allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302 or "/ontvangen/" not in response.headers.get("Location", ""):
                response.failure(f"not confirmed: {response.status_code}")
                return
        self.page(response.headers["Location"], name="/datalekken/<id>/ontvangen/")


class Officer(SignedIn):
    """The CISO and the Privacy Officer: the programme dashboard, the data-leak queue and register."""

    weight = 2
    role = "officer"
    wait_time = between(3, 10)

    @task(2)
    def queue(self) -> None:
        self.page("/datalekken/behandelen/")

    @task(1)
    def register(self) -> None:
        self.page("/datalekken/register/")

    @task(1)
    def programme(self) -> None:
        self.page("/evaluatie/programma/")

    @task(1)
    def feedback(self) -> None:
        self.page("/ambassadeurs/feedback/")


class Manager(SignedIn):
    weight = 1
    role = "manager"
    wait_time = between(3, 10)

    @task
    def department(self) -> None:
        self.page(self.session["dashboard"], name="/evaluatie/afdeling/<id>/")

    @task
    def training(self) -> None:
        self.page("/training/voortgang/")


class Ambassador(SignedIn):
    weight = 1
    role = "ambassador"
    wait_time = between(3, 10)

    @task
    def activities(self) -> None:
        self.page("/ambassadeurs/activiteiten/")

    @task
    def training(self) -> None:
        self.page("/training/")
