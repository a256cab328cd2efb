"""The benchmark table of the Reproducibility appendix names every measurement in both editions."""
from lib.book import directives


def test_every_benchmark_label_has_its_chinese_form():
    assert set(directives.BENCH_LABELS_ZH) == set(directives.BENCH_LABELS)
    assert all(directives.BENCH_LABELS_ZH.values())
