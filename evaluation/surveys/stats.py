"""Significance tests for comparing a baseline (0-meting) with its follow-up (1-meting), with ``math`` only.

Statement questions (1 to 5): Welch's t-test on the means, two-sided, which does
not assume equal variances or group sizes. Multiple-choice questions: the
two-proportion z-test on the share of each option, two-sided. A change counts
as larger than chance at the 95% level (p < 0.05). Both take aggregates only:
counts, sums and sums of squares, as the database returns them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ALPHA = 0.05


@dataclass(frozen=True)
class TestResult:
    statistic: float | None
    p_value: float | None

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < ALPHA


def _betacf(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny, eps = 1e-300, 3e-14
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < eps:
            break
    return h


def regularized_beta(a: float, b: float, x: float) -> float:
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_two_sided_p(t: float, df: float) -> float:
    """P(|T| >= |t|) for Student's t with ``df`` degrees of freedom."""
    return regularized_beta(df / 2.0, 0.5, df / (df + t * t))


def mean_and_variance(n: int, total: float, squares: float) -> tuple[float, float]:
    """The mean and the sample variance (n - 1) from a count, a sum and a sum of squares."""
    mean = total / n
    variance = (squares - n * mean * mean) / (n - 1) if n > 1 else 0.0
    return mean, max(variance, 0.0)


def welch_t_test(n1: int, sum1: float, squares1: float, n2: int, sum2: float, squares2: float) -> TestResult:
    """Welch's t-test of two means from their aggregates; no result for a group of fewer than two."""
    if n1 < 2 or n2 < 2:
        return TestResult(None, None)
    m1, v1 = mean_and_variance(n1, sum1, squares1)
    m2, v2 = mean_and_variance(n2, sum2, squares2)
    se2 = v1 / n1 + v2 / n2
    if se2 == 0:
        # Everyone in each group gave the same answer: either no change at all or an unmistakable one.
        return TestResult(0.0, 1.0) if m1 == m2 else TestResult(math.copysign(math.inf, m2 - m1), 0.0)
    t = (m2 - m1) / math.sqrt(se2)
    df = se2 * se2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
    return TestResult(t, t_two_sided_p(t, df))


def two_proportion_z_test(x1: int, n1: int, x2: int, n2: int) -> TestResult:
    """The pooled two-proportion z-test of x1/n1 against x2/n2."""
    if n1 == 0 or n2 == 0:
        return TestResult(None, None)
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    diff = x2 / n2 - x1 / n1
    if se == 0:
        return TestResult(0.0, 1.0)
    z = diff / se
    return TestResult(z, math.erfc(abs(z) / math.sqrt(2)))
