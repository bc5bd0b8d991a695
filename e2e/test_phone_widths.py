"""The walk: every GET page each role reaches, on a phone (390 and 360 px) and a desktop (1366 px).

On every page: nothing wider than the screen; axe-core with the WCAG 2.0, 2.1 and 2.2 A/AA rules finds no
violation of any impact (at 390 and 1366 px); every target is at least 24 by 24 px (WCAG 2.2, 2.5.8) and a form's
main action at least 44 px high on a phone; a table wider than its box scrolls in a region one reaches with the
keyboard, with a name and a visible hint, and a figure table hides no column; no word breaks in the middle in the
product's name or, on a desktop, in a table; the browser refuses nothing under the Content Security Policy.

The pages come from the URL configuration, as in the permission matrix, whose object
builders make the URL kwargs (here for OUR organisation, so each role reaches them).
Names, titles and notes are long on purpose: long Dutch compounds, e-mail addresses and
URLs are what pushes a table or a definition list beyond the screen.

While fixing one page, ``WALK_ONLY=<regex>`` walks only the paths that match it.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from config.accessibility import DESKTOP_WIDTH, PHONE_WIDTHS
from config.tests import test_permission_matrix as matrix
from config.tests.test_security import project_urls
from conftest import _mfa_session
from e2e.conftest import axe_violations

# What the accessibility statement says was tested (config/accessibility.py).
WIDTHS = PHONE_WIDTHS
DESKTOP = DESKTOP_WIDTH
AXE_WIDTHS = (WIDTHS[0], DESKTOP)
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

# What axe does not check, in one pass over the page: ``phone`` says whether the viewport is a phone's.
CHECKS = """(phone) => {
  const out = [];
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility === "visible";
  };
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) { s += "#" + el.id; }
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    return s + ' "' + text + '"';
  };
  // Targets (WCAG 2.2, 2.5.8): at least 24 by 24 px, unless the target sits in a line of text (the inline
  // exception) or a circle of 24 px around it touches no other target nor another small target's circle (spacing).
  const targets = Array.from(document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], ' +
    '[role=checkbox], [role=radio], [role=tab], [role=menuitem], [tabindex]:not([tabindex="-1"])'
  )).filter((el) => !el.disabled && visible(el) && !el.matches(".table-responsive"));
  const inText = (el) => {
    if (!getComputedStyle(el).display.startsWith("inline") || getComputedStyle(el).display === "inline-block") { return false; }
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) { block = block.parentElement; }
    const copy = block.cloneNode(true);
    copy.querySelectorAll("a, button, input, select, textarea, .visually-hidden").forEach((c) => c.remove());
    return copy.textContent.trim().length > 0;
  };
  const boxes = targets.map((el) => ({el, r: el.getBoundingClientRect()}));
  const small = boxes.filter((b) => (b.r.width < 23.5 || b.r.height < 23.5) && !inText(b.el));
  const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];
  const distance = ([x, y], r) => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
  for (const b of small) {
    const c = centre(b.r);
    const near = boxes.find((o) => o.el !== b.el && !o.el.contains(b.el) && !b.el.contains(o.el) && (
      distance(c, o.r) < 12 || (small.includes(o) && Math.hypot(c[0] - centre(o.r)[0], c[1] - centre(o.r)[1]) < 24)));
    if (near) {
      out.push(`target ${describe(b.el)} is ${Math.round(b.r.width)}x${Math.round(b.r.height)} px, too close to ${describe(near.el)}`);
    }
  }
  if (phone) {
    // The main action of a form: its primary button, or its only submit button.
    for (const form of document.querySelectorAll("form")) {
      const submits = Array.from(form.querySelectorAll("button:not([type]), button[type=submit], input[type=submit]")).filter(visible);
      const main = submits.find((b) => b.classList.contains("btn-primary")) || (submits.length === 1 ? submits[0] : null);
      if (main && main.getBoundingClientRect().height < 43.5) {
        out.push(`main action ${describe(main)} is ${Math.round(main.getBoundingClientRect().height)} px high`);
      }
    }
    for (const table of document.querySelectorAll("table")) {
      if (!visible(table)) { continue; }
      if (table.classList.contains("table-figures")) {
        const hidden = Array.from(table.querySelectorAll("th, td")).find((cell) => ["none"].includes(getComputedStyle(cell).display) || getComputedStyle(cell).visibility !== "visible");
        if (hidden) { out.push(`figure table ${describe(table.caption || table)} hides ${describe(hidden)}`); }
      }
      let box = table.parentElement;
      while (box && box !== document.body && getComputedStyle(box).overflowX === "visible") { box = box.parentElement; }
      if (!box || box === document.body || table.getBoundingClientRect().width <= box.clientWidth + 1) { continue; }
      const name = (box.getAttribute("aria-label") || "").trim() ||
        (box.getAttribute("aria-labelledby") || "").split(" ").map((id) => document.getElementById(id)?.textContent.trim() || "").join("");
      const cue = (box.getAttribute("aria-describedby") || "").split(" ").map((id) => document.getElementById(id)).find((el) => el && visible(el));
      const wrong = [];
      if (!["auto", "scroll"].includes(getComputedStyle(box).overflowX)) { wrong.push("cut off"); }
      if (box.getAttribute("tabindex") !== "0") { wrong.push("not focusable"); }
      if (box.getAttribute("role") !== "region" || !name) { wrong.push("no named region"); }
      if (!cue) { wrong.push("no visible hint"); }
      if (wrong.length) { out.push(`table ${describe(table.caption || table)} is wider than its box: ${wrong.join(", ")}`); }
    }
  }
  // Words broken in the middle: the product's name anywhere, a table's cells on a desktop. A break after a slash,
  // an en dash or a hyphen is a normal line break, except after the hyphen of a date or a reference (DL-2026-0006).
  const roots = Array.from(document.querySelectorAll(".navbar-brand" + (phone ? "" : ", table th, table td"))).filter(visible);
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/\\S{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0);
        if (rects.length < 2 || rects.every((r) => Math.abs(r.top - rects[0].top) < 2)) { continue; }
        let top = null;
        for (let i = 0; i < m[0].length; i += 1) {
          range.setStart(node, m.index + i);
          range.setEnd(node, m.index + i + 1);
          const r = range.getBoundingClientRect();
          const after = m[0][i - 1];
          const normal = "/\\u2013".includes(after) || (after === "-" && (m[0].length > 20 || !/\\d/.test(m[0])));
          if (top !== null && Math.abs(r.top - top) >= 2 && !normal) {
            out.push(`"${m[0].slice(0, i)}|${m[0].slice(i)}" breaks in ${describe(root)}`);
            break;
          }
          top = r.top;
        }
      }
    }
  }
  return out;
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


def test_every_page_fits_and_is_accessible(context, site, monkeypatch, settings, tmp_path):
    from django.conf import settings as django_settings

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(matrix, "MARK", f"{LONG} gemeentebreed 2026")
    roles, kwargs = _world()
    paths = _paths(kwargs)
    only = os.environ.get("WALK_ONLY")
    if only:
        paths = [path for path in paths if re.search(only, path)]
    # Refusals are expected here by the hundred: keep their tracebacks out of the log.
    logger = logging.getLogger("django.request")
    monkeypatch.setattr(logger, "level", logging.CRITICAL)
    failures, reached = [], {}
    # What the CSP refuses (an inline style or script) does not happen: the browser says so on its console.
    refused = []
    for role, user in roles.items():
        client = Client()
        _mfa_session(client, user)
        context.clear_cookies()
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site}])
        page = context.new_page()
        page.on(
            "console",
            lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
        )
        reached[role] = 0
        for path in paths:
            # A page the role reaches: 200, HTML, not a redirect. The test client asks first, so the
            # browser only opens pages (a refusal without a body would leave it on an error page
            # that interrupts the next navigation).
            answer = client.get(path)
            if answer.status_code != 200 or not answer.get("Content-Type", "").startswith("text/html"):
                continue
            if not answer.content.lstrip()[:15].lower().startswith(b"<!doctype html"):
                continue  # a fragment for htmx, checked in the page that shows it
            page.set_viewport_size({"width": WIDTHS[0], "height": 800})
            refused.clear()
            response = page.goto(site + path, wait_until="domcontentloaded")
            if response is None or response.status != 200 or response.request.redirected_from is not None:
                failures.append(f"{path} as {role}: {response and response.status} in the browser, 200 to the client")
                continue
            reached[role] += 1
            # One page load, every width: the phone's checks and axe, the narrow phone's width, the desktop's.
            for width in (*WIDTHS, DESKTOP):
                if width != WIDTHS[0]:
                    page.set_viewport_size({"width": width, "height": 800})
                    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
                where = f"{path} as {role} at {width} px"
                result = page.evaluate(MEASURE) if width in WIDTHS else None
                if result:
                    failures.append(f"{where} is {result['width']} px: {result['offenders']}")
                if width in AXE_WIDTHS:
                    failures.extend(f"{where}: {problem}" for problem in page.evaluate(CHECKS, width < DESKTOP))
                    failures.extend(f"{where}: {problem}" for problem in axe_violations(page))
            failures.extend(f"{path} as {role}: {message}" for message in refused)
        page.close()
    assert sum(reached.values()), "no page reached"
    if not only:
        # Each role reaches its own pages (the world gives every role something to see): about 20 for
        # staff, 40 for an ambassador or a manager, over 130 for the CISO.
        assert min(reached.values()) >= 20 and reached["officer"] >= 120, reached
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
