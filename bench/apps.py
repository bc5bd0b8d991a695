from django.apps import AppConfig


class BenchmarkConfig(AppConfig):
    """``make bench``: fills a large municipality and measures pages, queries, mailing and intake."""

    name = "bench"
    verbose_name = "Benchmark"
