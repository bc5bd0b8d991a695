"""Reference numbers under real concurrency (PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from incidents.services.intake import allocate_reference


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_never_share_a_number(org):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    results: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def allocate():
        try:
            barrier.wait()
            for _ in range(5):
                with transaction.atomic():
                    results.append(allocate_reference(organisation_id=org.pk, year=2031)[1])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=allocate) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(results) == [f"DL-2031-{n:04d}" for n in range(1, 41)]
