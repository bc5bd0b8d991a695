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


def _view_modules() -> list[Path]:
    modules = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "tests" in relative.parts or "migrations" in relative.parts:
                continue
            if path.name == "views.py" or path.name.endswith("_views.py") or "views" in relative.parts[:-1]:
                modules.append(path)
    return sorted(modules)


def test_there_are_view_modules_to_check():
    assert len(_view_modules()) > 10


@pytest.mark.parametrize("path", _view_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_views_ask_the_permissions_package_instead_of_checking_roles_inline(path):
    source = path.read_text()
    tree = ast.parse(source)
    offending = []
    for node in ast.walk(tree):
        name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
        if name and ROLE_FACTS.fullmatch(name):
            offending.append(f"line {node.lineno}: {name}")
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "get_roles":
            offending.append(f"line {node.lineno}: get_roles()")
    assert not offending, (
        f"{path.relative_to(ROOT)} decides by role inline; move the rule into accounts/permissions/ "
        f"(a predicate, a scope function or visible_to): {offending}"
    )


def test_the_rule_catches_an_inline_role_check(tmp_path):
    """The detector itself: an inline check is found, a call to the permissions package is not."""
    bad = "def view(request):\n    roles = get_roles(request.user)\n    if not roles.is_officer:\n        pass\n"
    good = "def view(request):\n    if not can_manage_programme(request.user):\n        pass\n"
    assert ROLE_FACTS.search(bad) and not ROLE_FACTS.search(good)
