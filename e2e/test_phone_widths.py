"""No page is wider than a phone: every GET page each role reaches, at 390 and 360 px.

The pages come from the URL configuration, as in the permission matrix, whose object
builders make the URL kwargs (here for OUR organisation, so each role reaches them).
Names, titles and notes are long on purpose: long Dutch compounds, e-mail addresses and
URLs are what pushes a table or a definition list beyond the screen.
"""

from __future__ import annotations

import datetime
import logging
import re
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from config.tests import test_permission_matrix as matrix
from config.tests.test_security import project_urls
from conftest import _mfa_session

WIDTHS = (390, 360)
LONG = "Informatiebeveiligingsbewustwordingsprogramma"
LONG_MAIL = "marie-louise.van-der-berg-hoogeveen@gemeente-voorbeeldstad-aan-de-rijn.nl"
LONG_URL = "https://intranet.gemeente-voorbeeldstad.nl/informatiebeveiliging/beleid/2026/handreiking-datalekken"
# Pages that are not pages: downloads, feeds and redirects are left out by their content type;
# these would end the session or start a flow away from the site.
SKIP = {"account_logout", "sso:start", "sso:callback", "set_language"}
DOWNLOAD = re.compile(r"\.(pdf|xlsx|csv|docx|ics)$|\.<str:fmt>$|/pdf/$|/download/$|materiaal/<int:pk>/$")

# The widest element that sticks out beyond the viewport while its parent does not (the cause, not
# its children), unless an ancestor scrolls or clips it: that is a container scrolling on its own.
MEASURE = """() => {
  const vw = window.innerWidth;
  const page = document.documentElement.scrollWidth;
  if (page <= vw) { return null; }
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o !== "visible") { return true; }
    }
    return false;
  };
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) { s += "#" + el.id; }
    if (el.classList.length) { s += "." + Array.from(el.classList).join("."); }
    const text = (el.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    return s + " (right " + Math.round(el.getBoundingClientRect().right) + " px) \\"" + text + "\\"";
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right <= vw + 1 || r.width === 0 || clipped(el)) { continue; }
    const pr = el.parentElement.getBoundingClientRect();
    if (el.parentElement !== document.body && pr.right > vw + 1) { continue; }
    out.push([r.right, describe(el)]);
  }
  if (!out.length) {
    // Nothing in the flow sticks out: then something positioned (absolute or fixed) escaped its container.
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > vw + 1 && ["absolute", "fixed"].includes(getComputedStyle(el).position)) {
        out.push([r.right, "positioned " + describe(el) + " in " + describe(el.parentElement)]);
      }
    }
  }
  out.sort((a, b) => b[0] - a[0]);
  return {width: page, offenders: out.slice(0, 3).map((o) => o[1])};
}"""


def _world():
    """One organisation with a directorate, a department in it, the five roles and a few rows in each list."""
    from accounts.tests.factories import DepartmentFactory, OfficerFactory, OrganisationFactory, UserFactory
    from ambassadors.tests.factories import ActivityFactory, AppointmentFactory, FeedbackFactory

    org = OrganisationFactory(name="Gemeente Voorbeeldstad aan de Rijn en Omstreken", slug="voorbeeld")
    directorate = DepartmentFactory(
        organisation=org,
        name="Directie Dienstverlening en Maatschappelijke Ontwikkeling",
        code="DIR",
        level="directorate",
    )
    department = DepartmentFactory(
        organisation=org, parent=directorate, name="Publiekszaken, Burgerzaken en Klantcontactcentrum", code="BZ"
    )
    other = DepartmentFactory(organisation=org, parent=directorate, name="Werk, Inkomen en Schuldhulpverlening")

    def person(name: str, email: str, dept=department):
        return UserFactory(organisation=org, department=dept, full_name=name, email=email, job_title=LONG)

    roles = {
        "staff": person("Marie-Louise van der Berg-Hoogeveen", LONG_MAIL),
        "ambassador": person("Sanne Wilhelmina Ambassadeur-Verhoeven", "sanne.ambassadeur-verhoeven@voorbeeld.test"),
        "manager": person("Marieke Manager-Jansen", "marieke.manager-jansen@voorbeeld.test"),
        "director": person("Dirk Directeur-Dienstverlening", "dirk.directeur@voorbeeld.test", directorate),
        "officer": person("Karin Chief Information Security Officer", "ciso.informatiebeveiliging@voorbeeld.test"),
    }
    AppointmentFactory(organisation=org, user=roles["ambassador"], departments=[department])
    department.managers.add(roles["manager"])
    directorate.managers.add(roles["director"])
    OfficerFactory(user=roles["officer"], kind="ciso")
    OfficerFactory(user=person("Ahmed Privacy Officer", "privacy@voorbeeld.test", other), kind="privacy_officer")

    today = timezone.localdate()
    for days in range(4):
        ActivityFactory(
            organisation=org,
            user=roles["ambassador"],
            department=department,
            date=today - datetime.timedelta(days=days),
            hours=Decimal("2.5"),
            note=f"{LONG} {LONG_URL}",
        )
        FeedbackFactory(department=department, message=f"{LONG} {LONG_MAIL}")
    # The matrix's builders make one object per URL of ours (and so a few rows in each list).
    w = matrix.World(org, department, person(f"Medewerker {LONG}", "medewerker.lang@voorbeeld.test"))
    kwargs = {}
    for name, rule in matrix.RULES.items():
        kwargs[name] = rule(w)
    return roles, kwargs


def _paths(kwargs: dict) -> list[str]:
    """Every GET page of the URL configuration, parameters filled in from the builders."""
    paths = []
    for name, route, _pattern in project_urls():
        if name in SKIP or name.startswith("api:") or DOWNLOAD.search(route):
            continue
        if "<" not in route:
            paths.append(matrix._sample_path(route))
        elif name in kwargs:
            paths.append(matrix._path(route, kwargs[name]))
    return paths


def test_no_page_is_wider_than_a_phone(context, site, monkeypatch, settings, tmp_path):
    from django.conf import settings as django_settings

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(matrix, "MARK", f"{LONG} gemeentebreed 2026")
    roles, kwargs = _world()
    paths = _paths(kwargs)
    # Refusals are expected here by the hundred: keep their tracebacks out of the log.
    logger = logging.getLogger("django.request")
    monkeypatch.setattr(logger, "level", logging.CRITICAL)
    failures, reached = [], {}
    for role, user in roles.items():
        client = Client()
        _mfa_session(client, user)
        context.clear_cookies()
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site}])
        page = context.new_page()
        reached[role] = 0
        for path in paths:
            # A page the role reaches: 200, HTML, not a redirect. The test client asks first, so the
            # browser only opens pages (a refusal without a body would leave it on an error page
            # that interrupts the next navigation).
            answer = client.get(path)
            if answer.status_code != 200 or not answer.get("Content-Type", "").startswith("text/html"):
                continue
            page.set_viewport_size({"width": WIDTHS[0], "height": 800})
            response = page.goto(site + path, wait_until="domcontentloaded")
            if response is None or response.status != 200 or response.request.redirected_from is not None:
                failures.append(f"{path} as {role}: {response and response.status} in the browser, 200 to the client")
                continue
            reached[role] += 1
            for width in WIDTHS:
                if width != WIDTHS[0]:
                    page.set_viewport_size({"width": width, "height": 800})
                    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
                result = page.evaluate(MEASURE)
                if result:
                    failures.append(f"{path} as {role} at {width} px is {result['width']} px: {result['offenders']}")
        page.close()
    # Each role reaches its own pages (the world gives every role something to see): about 20 for
    # staff, 40 for an ambassador or a manager, over 130 for the CISO.
    assert min(reached.values()) >= 20 and reached["officer"] >= 120, reached
    assert not failures, f"{len(failures)} pages wider than the phone:\n" + "\n".join(failures)
