import threading

from core.locks import single_run


def test_only_one_concurrent_run_holds_the_lock():
    results = []
    barrier = threading.Barrier(2)

    def run():
        with single_run("job", ttl=30) as mine:
            barrier.wait(timeout=5)
            results.append(mine)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]


def test_the_lock_is_released_afterwards():
    with single_run("job2") as first:
        assert first
    with single_run("job2") as again:
        assert again
