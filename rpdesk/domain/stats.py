"""The few statistics rpdesk needs, by hand so that the core needs no SciPy.

- Wilson score interval for a share (prevalence, effect, confidence items): unlike the textbook
  "p ± 1.96·SE" it stays inside 0..1 and behaves for the small samples wards really have.
- Two-proportion z-test (pooled), for "did the share change between two survey rounds beyond chance?".
- The exact conditional test of two Poisson counts, for "did recorded crime change beyond chance?":
  if nothing changed, then given the total n = a + b of a count ``a`` before and ``b`` after, ``a``
  is Binomial(n, t_a / (t_a + t_b)) where t are the exposures (months); the two-sided p-value sums
  the probabilities of every split no more likely than the one seen (as R's ``binom.test`` and
  ``poisson.test`` do). Sources: Przyborowski and Wilenski (1940), "Homogeneity of results in
  testing samples from Poisson series", Biometrika 31; any statistics text on the "conditional test".
- ``format_p``: p-values as a sergeant reads them, never "0".
- Spearman rank correlation with average ranks for ties, for "did the team's expected signals match
  the evidence?".
- A normal-approximation interval for a mean score (confidence items on 1-5 scales).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: Two-sided 95% normal quantile.
Z95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``successes / n``; (0, 1) when there is no data at all."""
    if n <= 0:
        return (0.0, 1.0)
    if not 0 <= successes <= n:
        raise ValueError(f"successes {successes} not within 0..{n}")
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    # Clamp rounding noise so that 0/n starts at exactly 0 and n/n ends at exactly 1.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return (low, high)


def normal_two_sided_p(z: float) -> float:
    """P(|Z| >= |z|) for a standard normal Z."""
    return math.erfc(abs(z) / math.sqrt(2))


@dataclass(frozen=True)
class ProportionTest:
    """Result of comparing two shares: the change, the z statistic and its two-sided p-value."""

    before: float
    after: float
    change: float
    z: float
    p_value: float

    def beyond_chance(self, alpha: float = 0.05) -> bool:
        return self.p_value < alpha


def two_proportion_test(k1: int, n1: int, k2: int, n2: int) -> ProportionTest | None:
    """Pooled two-proportion z-test of k1/n1 against k2/n2; None when either sample is empty.

    When both shares are 0 or both are 1 there is no variation at all: z = 0, p = 1.
    """
    if n1 <= 0 or n2 <= 0:
        return None
    p1, p2 = k1 / n1, k2 / n2
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = 0.0 if se == 0 else (p2 - p1) / se
    return ProportionTest(p1, p2, p2 - p1, z, normal_two_sided_p(z) if se else 1.0)


def _log_binomial_pmf(k: int, n: int, p: float) -> float:
    """log P(X = k) for X ~ Binomial(n, p), in log space so that counts in the thousands do not overflow."""
    if p <= 0.0:
        return 0.0 if k == 0 else -math.inf
    if p >= 1.0:
        return 0.0 if k == n else -math.inf
    log_choose = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
    return log_choose + k * math.log(p) + (n - k) * math.log1p(-p)


@dataclass(frozen=True)
class CountTest:
    """Two counts compared by the exact conditional test: the counts, their exposures and the p-value."""

    before: int
    after: int
    exposure_before: float
    exposure_after: float
    p_value: float

    @property
    def change(self) -> int:
        return self.after - self.before

    def beyond_chance(self, alpha: float = 0.05) -> bool:
        return self.p_value < alpha

    def fell(self, alpha: float = 0.05) -> bool:
        """The rate after is lower than before, beyond chance."""
        rate_before, rate_after = self.before / self.exposure_before, self.after / self.exposure_after
        return rate_after < rate_before and self.beyond_chance(alpha)

    def rose(self, alpha: float = 0.05) -> bool:
        rate_before, rate_after = self.before / self.exposure_before, self.after / self.exposure_after
        return rate_after > rate_before and self.beyond_chance(alpha)


def poisson_counts_test(
    before: int, after: int, exposure_before: float = 1.0, exposure_after: float = 1.0
) -> CountTest:
    """Exact two-sided test that two Poisson counts share one rate (see the module docstring).

    With no events at all there is nothing to compare: p = 1. The relative tolerance of 1e-7 keeps
    splits exactly as likely as the one seen (symmetry, when exposures are equal) from being lost
    to rounding, as R does.
    """
    if before < 0 or after < 0:
        raise ValueError("counts must not be negative")
    if exposure_before <= 0 or exposure_after <= 0:
        raise ValueError("exposures must be positive")
    n = before + after
    if n == 0:
        return CountTest(before, after, exposure_before, exposure_after, 1.0)
    p0 = exposure_before / (exposure_before + exposure_after)
    seen = _log_binomial_pmf(before, n, p0)
    limit = seen + math.log1p(1e-7)
    total = sum(math.exp(lp) for k in range(n + 1) if (lp := _log_binomial_pmf(k, n, p0)) <= limit)
    return CountTest(before, after, exposure_before, exposure_after, min(1.0, total))


def format_p(p_value: float) -> str:
    """ "p < 0.001" for small values, else "p = 0.042" (three places); never "p = 0"."""
    if p_value < 0.001:
        return "p < 0.001"
    return f"p = {p_value:.3f}"


def average_ranks(values: Sequence[float]) -> list[float]:
    """Ranks 1..n of ``values`` (smallest first), ties sharing the average of their ranks."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Pearson correlation; None when fewer than 2 points or either side does not vary."""
    if len(x) != len(y):
        raise ValueError("x and y differ in length")
    n = len(x)
    if n < 2:
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rank correlation (Pearson on average ranks, so ties are handled)."""
    return pearson(average_ranks(x), average_ranks(y))


@dataclass(frozen=True)
class MeanInterval:
    mean: float
    low: float
    high: float
    n: int


def mean_interval(n: int, total: float, total_squares: float, z: float = Z95) -> MeanInterval | None:
    """Mean with a normal-approximation 95% interval from the count, sum and sum of squares.

    Taking sums rather than values lets the database aggregate; None for no values, and a
    zero-width interval for a single value.
    """
    if n <= 0:
        return None
    mean = total / n
    if n == 1:
        return MeanInterval(mean, mean, mean, 1)
    variance = max(0.0, (total_squares - n * mean * mean) / (n - 1))
    half = z * math.sqrt(variance / n)
    return MeanInterval(mean, mean - half, mean + half, n)
