"""Names shared by the benchmark's fill and run commands: organisations, measuring users, secrets."""

from __future__ import annotations

# Only for the throw-away benchmark database.
BENCH_PASSWORD = "bench-wachtwoord-2026"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"
ORGANISATIONS = [("grootstad", "Gemeente Grootstad"), ("naburig", "Gemeente Naburig")]
LOAD_USERS = 50


def bench_email(role: str, slug: str = ORGANISATIONS[0][0]) -> str:
    return f"{role}@{slug}.bench"


def organisations(count: int = len(ORGANISATIONS)) -> list[tuple[str, str]]:
    """The first ``count`` organisations: today's two, then "Gemeente 03" and so on (the national shape)."""
    extra = [(f"gemeente{i:02d}", f"Gemeente {i:02d}") for i in range(len(ORGANISATIONS) + 1, count + 1)]
    return [*ORGANISATIONS, *extra][:count]
