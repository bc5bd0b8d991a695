"""Rules of the house that a reviewer would otherwise check by hand."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "ambassadors", "api", "core", "evaluation", "incidents", "programme", "training"]

# Role facts a view must not test itself: it asks accounts.permissions (a predicate, a scope, visible_to).
ROLE_FACTS = re.compile(
    r"\b(is_officer|is_privacy_officer|is_ciso|is_manager|is_director|is_ambassador|managed_ids|directly_managed_ids|"
    r"managed_department_ids|ambassador_department_ids)\b"
)


# The kinds of module that must leave access to accounts.permissions: views decide who may act, navigation who sees
# an entry, forms what a user may choose, services and selectors what they read and write.
KINDS = ("views", "navigation", "forms", "services", "selectors")
# Query calls in which a filter on the user's own organisation copies ``visible_to(user)`` by hand.
QUERY_CALLS = {"filter", "exclude", "get", "get_object_or_404", "get_list_or_404"}


def _kind(relative: Path) -> str | None:
    for kind in KINDS:
        if relative.name == f"{kind}.py" or relative.name.endswith(f"_{kind}.py") or kind in relative.parts[:-1]:
            return kind
    return None


def _checked_modules() -> list[Path]:
    modules = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "tests" in relative.parts or "migrations" in relative.parts or relative.parts[1] == "permissions":
                continue
            if _kind(relative):
                modules.append(path)
    return sorted(modules)


def _is_the_users_organisation(node: ast.AST) -> bool:
    """``user.organisation(_id)`` or ``request.user.organisation(_id)``: the viewer's own organisation."""
    if not isinstance(node, ast.Attribute) or node.attr not in ("organisation", "organisation_id"):
        return False
    owner = node.value
    if isinstance(owner, ast.Name):
        return owner.id == "user"
    return isinstance(owner, ast.Attribute) and owner.attr == "user" and getattr(owner.value, "id", "") == "request"


def _role_checks(tree: ast.AST) -> list[str]:
    offending = []
    for node in ast.walk(tree):
        name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
        if isinstance(node, ast.arg):
            name = node.arg
        if name and ROLE_FACTS.fullmatch(name):
            offending.append(f"line {node.lineno}: {name}")
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "get_roles":
            offending.append(f"line {node.lineno}: get_roles()")
    return offending


def _organisation_filters(tree: ast.AST) -> list[str]:
    offending = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        if name not in QUERY_CALLS:
            continue
        for keyword in node.keywords:
            field = (keyword.arg or "").split("__")[-1]
            if field in ("organisation", "organisation_id") and _is_the_users_organisation(keyword.value):
                offending.append(f"line {node.lineno}: {name}({keyword.arg}=...)")
    return offending


def test_there_are_modules_of_every_kind_to_check():
    kinds = [_kind(path.relative_to(ROOT)) for path in _checked_modules()]
    assert kinds.count("views") > 10
    assert all(kinds.count(kind) >= 3 for kind in KINDS), kinds


@pytest.mark.parametrize("path", _checked_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_access_is_asked_of_the_permissions_package(path):
    """No view, navigation, form, service or selector tests a role itself or filters the user's organisation by
    hand: it asks a predicate or scope of accounts.permissions, or starts from ``visible_to(user)``."""
    tree = ast.parse(path.read_text())
    roles = _role_checks(tree)
    assert not roles, (
        f"{path.relative_to(ROOT)} decides by role inline; move the rule into accounts/permissions/ "
        f"(a predicate, a scope function or visible_to): {roles}"
    )
    filters = _organisation_filters(tree)
    assert not filters, (
        f"{path.relative_to(ROOT)} filters the user's organisation by hand; start from "
        f"Model.objects.visible_to(user) (core.querysets.OrganisationQuerySet): {filters}"
    )


def test_the_rule_catches_an_inline_role_check(tmp_path):
    """The detector itself: an inline check is found, a call to the permissions package is not."""
    bad = "def view(request):\n    roles = get_roles(request.user)\n    if not roles.is_officer:\n        pass\n"
    good = "def view(request):\n    if not can_manage_programme(request.user):\n        pass\n"
    assert ROLE_FACTS.search(bad) and not ROLE_FACTS.search(good)


def test_the_rule_catches_a_hand_written_organisation_filter():
    bad = ast.parse("Topic.objects.filter(plan__organisation_id=request.user.organisation_id, year=2026)")
    also_bad = ast.parse("get_object_or_404(Officer, pk=pk, user__organisation=user.organisation)")
    good = ast.parse("Topic.objects.visible_to(request.user).filter(year=2026)")
    # A service that stores the organisation, or reads another person's, is no copy of visible_to.
    owner = ast.parse("Officer.objects.filter(user__organisation_id=officer.user.organisation_id)")
    assert _organisation_filters(bad) and _organisation_filters(also_bad)
    assert not _organisation_filters(good) and not _organisation_filters(owner)


def test_the_import_contracts_hold():
    """The layer order of pyproject.toml's [tool.importlinter] (also run by ``make lint``)."""
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0
