"""Names shared by the benchmark's fill and run commands: organisations, measuring users, secrets."""

from __future__ import annotations

# Only for the throw-away benchmark database.
BENCH_PASSWORD = "bench-wachtwoord-2026"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"
ORGANISATIONS = [("grootstad", "Gemeente Grootstad"), ("naburig", "Gemeente Naburig")]
LOAD_USERS = 50


def bench_email(role: str, slug: str = ORGANISATIONS[0][0]) -> str:
    return f"{role}@{slug}.bench"
