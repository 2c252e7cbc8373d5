"""The plan of the demo network: which fictional towns exist and what each one looks like.

Every generator (population, survey, registrations, …) works from the same :class:`DemoTown`, so the
numbers of one town agree across sources: the survey's district shares follow the population's,
registrations scale with the population, and each town has its own engagement level and trend.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from etl.demo.names import slug, town_names

# Peer groups of brief §5.6 as population ranges; the first towns cover all four.
PEER_RANGES = ((10_000, 19_500), (20_500, 49_000), (51_000, 98_000), (102_000, 260_000))
FIRST_PEER_GROUPS = (1, 0, 3, 2)
LATER_PEER_WEIGHTS = (0.3, 0.4, 0.2, 0.1)

# Typical age structure of a German town (shares of 0-13, 14-29, 30-49, 50-64, 65+).
BASE_AGE_SHARES = np.array([0.13, 0.17, 0.25, 0.22, 0.23])
FEMALE_SHARE_BY_BAND = np.array([0.487, 0.485, 0.495, 0.502, 0.555])


def rng_for(seed: int, town: int, purpose: int) -> np.random.Generator:
    """One independent random stream per seed, town and purpose: adding a source never shifts another."""
    return np.random.default_rng(np.random.SeedSequence([seed, town, purpose]))


@dataclass(frozen=True)
class DemoTown:
    """One fictional town and its fixed characteristics; years are calendar years of the demo."""

    index: int
    ags: str
    name: str
    slug: str
    population: int  # inhabitants in the first demo year
    growth: float  # yearly growth factor - 1
    districts: tuple[str, ...]  # codes "01", "02", …
    district_shares: tuple[float, ...]
    age_shares: tuple[float, ...]  # over AGE_BANDS
    engagement_logit: float  # town effect on the probability to volunteer
    engagement_trend: float  # change of that logit per year
    survey_every: int  # 1: survey every year, 2: every second year
    registration_rate: float  # registered volunteers per inhabitant aged 14+

    def population_in(self, year: int, first_year: int) -> float:
        return self.population * (1.0 + self.growth) ** (year - first_year)

    def adult_share(self) -> float:
        return 1.0 - self.age_shares[0]


def make_ags(index: int) -> str:
    """AGS with the fictional Land code 99: ``99`` + Kreis (3 digits) + Gemeinde (3 digits)."""
    return f"99{index // 8 + 1:03d}{(index % 8) * 11 + 1:03d}"


def plan_towns(count: int, seed: int) -> list[DemoTown]:
    """The ``count`` towns of a demo network, deterministic for ``seed``."""
    names = town_names(count)
    towns = []
    for i, name in enumerate(names):
        rng = rng_for(seed, i, 0)
        group = FIRST_PEER_GROUPS[i] if i < len(FIRST_PEER_GROUPS) else int(rng.choice(4, p=LATER_PEER_WEIGHTS))
        low, high = PEER_RANGES[group]
        population = int(np.exp(rng.uniform(np.log(low), np.log(high))))
        n_districts = int(rng.integers(3, 5) if group == 0 else rng.integers(4, 7) if group < 3 else 8)
        n_districts = min(max(n_districts, 3), 8)
        shares = rng.dirichlet(np.full(n_districts, 6.0))
        # One small district per town, so that some district cells fall under the privacy threshold.
        shares[-1] = rng.uniform(0.015, 0.03)
        shares[:-1] *= (1.0 - shares[-1]) / shares[:-1].sum()
        ages = BASE_AGE_SHARES * rng.uniform(0.88, 1.12, size=5)
        ages /= ages.sum()
        towns.append(
            DemoTown(
                index=i,
                ags=make_ags(i),
                name=name,
                slug=slug(name),
                population=population,
                growth=float(rng.uniform(-0.006, 0.012)),
                districts=tuple(f"{d + 1:02d}" for d in range(n_districts)),
                district_shares=tuple(float(s) for s in shares),
                age_shares=tuple(float(a) for a in ages),
                engagement_logit=float(rng.normal(0.0, 0.22)),
                engagement_trend=float(rng.normal(0.015, 0.03)),
                survey_every=2 if i % 3 == 1 and i > 2 else 1,
                registration_rate=float(rng.uniform(0.010, 0.028)),
            )
        )
    return towns


def demo_years(years: int, last_year: int) -> list[int]:
    return list(range(last_year - years + 1, last_year + 1))


def partner_waves(years: list[int]) -> list[int]:
    """Partner survey waves: every second year, counted back from the last year."""
    last = years[-1]
    return [y for y in years if (last - y) % 2 == 0]


def survey_years(town: DemoTown, years: list[int]) -> list[int]:
    last = years[-1]
    return [y for y in years if (last - y) % town.survey_every == 0]
