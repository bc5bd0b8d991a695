"""Import employees and departments from an HR export (CSV or XLSX).

The file has one row per employee. Columns (Dutch or English headers, any order,
case-insensitive):

=========================  ==========================  ========
Dutch header               English header              required
=========================  ==========================  ========
e-mailadres                email                       yes
naam                       name                        yes
afdelingscode              department_code             yes
afdeling                   department                  yes
bovenliggende afdeling     parent_code                 no
niveau                     level                       no (directie, afdeling, team)
functie                    job_title                   no
personeelsnummer           employee_number             no
leidinggevende             manager                     no (ja/nee: manages their department)
actief                     active                      no (ja/nee, default ja)
=========================  ==========================  ========

A department is known by its code within the organisation; a parent code must
be a department in the file or already in the organisation. Employees are
matched on e-mail, so a re-import updates instead of duplicating. Nothing is
written unless every row is valid (one transaction).

An import keeps the organisation's rules: it never deactivates the last active CISO (refused, in the browser and
the API alike), and it deactivates an officer (CISO, ISO, Privacy Officer) only when asked to explicitly: the
browser shows who loses which role and asks for confirmation; the API refuses it (an officer's role is ended on
the people page first).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Department, Officer, Organisation, User
from accounts.security_events import role_change

HEADER_ALIASES: dict[str, str] = {
    "e-mailadres": "email",
    "emailadres": "email",
    "e-mail": "email",
    "email": "email",
    "naam": "name",
    "volledige naam": "name",
    "name": "name",
    "full_name": "name",
    "afdelingscode": "department_code",
    "department_code": "department_code",
    "afdeling": "department",
    "department": "department",
    "bovenliggende afdeling": "parent_code",
    "bovenliggende afdelingscode": "parent_code",
    "parent_code": "parent_code",
    "niveau": "level",
    "level": "level",
    "functie": "job_title",
    "job_title": "job_title",
    "personeelsnummer": "employee_number",
    "employee_number": "employee_number",
    "leidinggevende": "manager",
    "manager": "manager",
    "actief": "active",
    "active": "active",
}
REQUIRED = ("email", "name", "department_code", "department")
LEVELS = {
    "directie": Department.Level.DIRECTORATE,
    "directorate": Department.Level.DIRECTORATE,
    "afdeling": Department.Level.UNIT,
    "department": Department.Level.UNIT,
    "unit": Department.Level.UNIT,
    "team": Department.Level.TEAM,
}
YES = {"ja", "j", "yes", "y", "1", "true", "waar", "x"}
NO = {"nee", "n", "no", "0", "false", "onwaar", ""}
MAX_ROWS = 50_000


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class OfficerLoss:
    """An officer the import would deactivate, and the roles they would lose."""

    line: int
    email: str
    name: str
    roles: list[str]


@dataclass
class ImportPlan:
    departments_created: list[str] = field(default_factory=list)
    departments_updated: list[str] = field(default_factory=list)
    users_created: list[str] = field(default_factory=list)
    users_updated: list[str] = field(default_factory=list)
    users_unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    officers_deactivated: list[OfficerLoss] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def needs_confirmation(self) -> bool:
        """Valid, but it would deactivate officers: applied only when that is confirmed."""
        return self.ok and bool(self.officers_deactivated)


def read_rows(uploaded: IO[bytes], filename: str) -> list[dict[str, str]]:
    """Rows as dicts keyed by canonical column names; raises ImportFileError for an unreadable file."""
    name = filename.lower()
    raw = uploaded.read()
    if name.endswith(".xlsx"):
        table = _read_xlsx(raw)
    elif name.endswith(".csv") or name.endswith(".txt"):
        table = _read_csv(raw)
    else:
        raise ImportFileError(_("Upload a CSV or XLSX file."))
    if not table:
        raise ImportFileError(_("The file is empty."))
    header = [HEADER_ALIASES.get(str(h or "").strip().lower()) for h in table[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ImportFileError(
            _("Required columns are missing: %(columns)s. See the column layout on this page.")
            % {"columns": ", ".join(missing)}
        )
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
    rows = []
    for values in table[1:]:
        if not any(str(v or "").strip() for v in values):
            rows.append({})
            continue
        rows.append(
            {
                column: str(value if value is not None else "").strip()
                for column, value in zip(header, values, strict=False)
                if column
            }
        )
    return rows


def _read_csv(raw: bytes) -> list[list[str]]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is not in UTF-8 encoding. Save it from Excel as 'CSV UTF-8' and try again.")
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("The file contains invalid characters; it is probably not a CSV file."))
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from None


def _read_xlsx(raw: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise ImportFileError(_("The XLSX file cannot be read; it may be damaged.")) from None
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _yes_no(value: str, default: bool, line: int, column: str, errors: list[RowError]) -> bool:
    value = value.strip().lower()
    if not value:
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    errors.append(
        RowError(
            line, _("Column '%(column)s' must be 'ja' or 'nee', not '%(value)s'.") % {"column": column, "value": value}
        )
    )
    return default


def plan_import(
    organisation: Organisation,
    rows: list[dict[str, str]],
    *,
    apply: bool = False,
    officers: str = "confirm",
    confirmed: frozenset[str] | set[str] = frozenset(),
) -> ImportPlan:
    """Validate every row and work out what would change; with ``apply`` write it, all or nothing.

    ``officers``: what to do with a row that deactivates an officer. ``"confirm"`` (the browser): applied only when
    every such officer's e-mail address is in ``confirmed`` (the list the person confirmed), else nothing is
    written and ``plan.needs_confirmation`` says why. ``"refuse"`` (the API): such a row is an error. Deactivating
    the organisation's last active CISO is an error either way.
    """
    plan = ImportPlan()
    existing_departments = {d.code: d for d in Department.objects.filter(organisation=organisation)}
    file_departments: dict[str, dict[str, Any]] = {}
    seen_emails: dict[str, int] = {}
    people: list[dict[str, Any]] = []

    for index, row in enumerate(rows, start=2):  # line 1 is the header
        if not row:
            continue
        row_errors: list[RowError] = []
        email = row.get("email", "").lower()
        try:
            validate_email(email)
        except ValidationError:
            row_errors.append(RowError(index, _("'%(email)s' is not a valid e-mail address.") % {"email": email}))
        if email in seen_emails:
            row_errors.append(
                RowError(
                    index,
                    _("The e-mail address %(email)s also appears on line %(line)s.")
                    % {"email": email, "line": seen_emails[email]},
                )
            )
        seen_emails.setdefault(email, index)
        name = row.get("name", "")
        if not name:
            row_errors.append(RowError(index, _("The name is empty.")))
        code = row.get("department_code", "")
        if not code:
            row_errors.append(RowError(index, _("The department code is empty.")))
        level_raw = row.get("level", "").lower()
        level = LEVELS.get(level_raw) if level_raw else None
        if level_raw and level is None:
            row_errors.append(
                RowError(index, _("Unknown level '%(level)s': use directie, afdeling or team.") % {"level": level_raw})
            )
        is_manager = _yes_no(row.get("manager", ""), False, index, _("manager"), row_errors)
        active = _yes_no(row.get("active", ""), True, index, _("active"), row_errors)
        if code:
            known = file_departments.setdefault(
                code,
                {
                    "name": row.get("department", ""),
                    "parent_code": row.get("parent_code", ""),
                    "level": level,
                    "line": index,
                },
            )
            if known["parent_code"] != row.get("parent_code", "") and row.get("parent_code", ""):
                row_errors.append(
                    RowError(
                        index,
                        _("Department %(code)s has another parent on line %(line)s.")
                        % {"code": code, "line": known["line"]},
                    )
                )
            if level and not known["level"]:
                known["level"] = level
        plan.errors.extend(row_errors)
        people.append(
            {
                "email": email,
                "name": name,
                "code": code,
                "job_title": row.get("job_title", ""),
                "employee_number": row.get("employee_number", ""),
                "manager": is_manager,
                "active": active,
                "line": index,
            }
        )

    for code, info in file_departments.items():
        parent_code = info["parent_code"]
        if parent_code and parent_code not in file_departments and parent_code not in existing_departments:
            plan.errors.append(
                RowError(info["line"], _("Unknown parent department '%(code)s'.") % {"code": parent_code})
            )
        if parent_code == code:
            plan.errors.append(
                RowError(info["line"], _("Department %(code)s cannot be its own parent.") % {"code": code})
            )
    _check_cycles(file_departments, existing_departments, plan)

    # E-mail addresses used by someone of another organisation cannot be taken over.
    foreign = set(
        User.objects.filter(email__in=seen_emails.keys())
        .exclude(organisation=organisation)
        .values_list("email", flat=True)
    )
    for person in people:
        if person["email"] in foreign:
            plan.errors.append(
                RowError(
                    person["line"],
                    _("The e-mail address %(email)s belongs to an account of another organisation.")
                    % {"email": person["email"]},
                )
            )

    plan.errors.sort(key=lambda e: e.line)
    existing_users = {u.email: u for u in User.objects.filter(organisation=organisation, email__in=seen_emails.keys())}
    for code, info in file_departments.items():
        department = existing_departments.get(code)
        if department is None:
            plan.departments_created.append(f"{code} {info['name']}")
        elif department.name != info["name"] or (info["level"] and department.level != info["level"]):
            plan.departments_updated.append(f"{code} {info['name']}")
    for person in people:
        user = existing_users.get(person["email"])
        if user is None:
            plan.users_created.append(person["email"])
        elif (user.full_name, user.job_title, user.employee_number, user.is_active) != (
            person["name"],
            person["job_title"],
            person["employee_number"],
            person["active"],
        ) or (user.department.code if user.department_id else None) != person["code"]:
            plan.users_updated.append(person["email"])
        else:
            plan.users_unchanged += 1

    _check_officers(organisation, people, existing_users, plan, refuse=officers == "refuse")
    plan.errors.sort(key=lambda e: e.line)

    confirmed_all = {loss.email for loss in plan.officers_deactivated} <= set(confirmed)
    if apply and plan.ok and (not plan.officers_deactivated or confirmed_all):
        _apply(organisation, file_departments, existing_departments, people, existing_users)
        plan.applied = True
    return plan


def _check_officers(organisation, people, existing_users, plan: ImportPlan, *, refuse: bool) -> None:
    """The officers the import would deactivate; the last CISO never (an error), any officer in the API (an error)."""
    leaving = {
        person["email"]: person
        for person in people
        if not person["active"] and person["email"] in existing_users and existing_users[person["email"]].is_active
    }
    if not leaving:
        return
    roles = (
        Officer.objects.filter(user__organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("user__email", "kind")
    )
    by_email: dict[str, list[Officer]] = {}
    active_cisos: set[str] = set()
    for role in roles:
        by_email.setdefault(role.user.email, []).append(role)
        if role.kind == Officer.Kind.CISO:
            active_cisos.add(role.user.email)
    for email, person in leaving.items():
        if email not in by_email:
            continue
        labels = [
            str(role.get_kind_display()) + (f" ({_('deputy')})" if role.is_deputy else "") for role in by_email[email]
        ]
        plan.officers_deactivated.append(OfficerLoss(person["line"], email, person["name"], labels))
        if refuse:
            plan.errors.append(
                RowError(
                    person["line"],
                    _(
                        "%(email)s is %(roles)s: an import does not deactivate an officer. End the role on the "
                        "people page first, or leave this person active."
                    )
                    % {"email": email, "roles": ", ".join(labels)},
                )
            )
    if active_cisos and active_cisos <= set(leaving):
        for email in sorted(active_cisos):
            plan.errors.append(
                RowError(
                    leaving[email]["line"],
                    _(
                        "%(email)s is the organisation's last active CISO and cannot be deactivated by an import. "
                        "Appoint another CISO first."
                    )
                    % {"email": email},
                )
            )


def _check_cycles(file_departments: dict, existing: dict[str, Department], plan: ImportPlan) -> None:
    for code in file_departments:
        seen = {code}
        current = file_departments[code]["parent_code"]
        while current:
            if current in seen:
                plan.errors.append(
                    RowError(
                        file_departments[code]["line"], _("The departments form a loop at %(code)s.") % {"code": code}
                    )
                )
                break
            seen.add(current)
            if current in file_departments:
                current = file_departments[current]["parent_code"]
            elif current in existing and existing[current].parent_id:
                current = existing[current].parent.code
            else:
                current = ""


@transaction.atomic
def _apply(organisation, file_departments, existing, people, existing_users) -> None:
    departments = dict(existing)
    # Create or update parents before children.
    remaining = dict(file_departments)
    while remaining:
        progressed = False
        for code, info in list(remaining.items()):
            parent_code = info["parent_code"]
            if parent_code and parent_code in remaining:
                continue
            parent = departments.get(parent_code) if parent_code else None
            department = departments.get(code)
            if department is None:
                department = Department(organisation=organisation, code=code)
            department.name = info["name"] or department.name or code
            department.parent = parent
            department.level = info["level"] or department.level or Department.Level.UNIT
            department.is_active = True
            department.save()
            departments[code] = department
            del remaining[code]
            progressed = True
        if not progressed:  # pragma: no cover - cycles were refused in planning
            raise RuntimeError("department cycle")
    for person in people:
        user = existing_users.get(person["email"])
        if user is None:
            user = User(email=person["email"], organisation=organisation)
            user.set_unusable_password()
        user.full_name = person["name"]
        user.job_title = person["job_title"]
        user.employee_number = person["employee_number"]
        user.is_active = person["active"]
        user.department = departments[person["code"]]
        user.save()
        department = departments[person["code"]]
        if person["manager"] and not department.managers.filter(pk=user.pk).exists():
            department.managers.add(user)
            role_change(user.pk, f"manager of department {department.pk} added")
