"""Production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings():
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST", "SECRET_KEY", "SECURE_", "SESSION_"))
    }
    env.update(
        {
            "DJANGO_DEBUG": "false",
            "SECRET_KEY": "x7#kq2!vR9zL$mN4pW8sT1yB6cF3hJ0dG5aE-uI_oPxQwZrMnVbTyUiOpAsDfGhJk",
            "ALLOWED_HOSTS": "ambassadeurs.voorbeeld.nl",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_in_production():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRET_KEY"))}
    env.update({"DJANGO_DEBUG": "false"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
