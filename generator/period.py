"""The simulated period: days, their traffic weight, promotions, month chunks.

Times are int64 seconds since the Unix epoch (UTC); days are int64 days since the
epoch. Everything here is a pure function of the period and the profile, so a later
run that continues a world can rebuild it from the manifest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .profile import Profile

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
DAY = 86_400
EPOCH = dt.date(1970, 1, 1)


def day_number(day: dt.date) -> int:
    return (day - EPOCH).days


def date_of(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


@dataclass(frozen=True)
class Promo:
    """A sales event: traffic and conversion lift, discount codes, campaigns."""

    key: str  # short code prefix, e.g. "BF"
    name: str
    start: int  # day number, inclusive
    end: int  # day number, inclusive
    traffic: float
    conversion: float
    channels: tuple[str, ...]


def _black_friday(year: int) -> dt.date:
    nov1 = dt.date(year, 11, 1)
    first_thursday = 1 + (3 - nov1.weekday()) % 7
    return dt.date(year, 11, first_thursday + 21 + 1)


def promos_for_year(year: int) -> list[Promo]:
    bf = _black_friday(year)
    d = dt.date
    social = ("paid_search", "paid_social", "email")
    big = ("paid_search", "paid_social", "display", "email")
    spec = [
        ("JAN", "January Sale", d(year, 1, 1), d(year, 1, 14), 1.2, 1.35, big),
        ("SPRING", "Spring Sale", d(year, 3, 20), d(year, 3, 26), 1.08, 1.2, social),
        ("SUMMER", "Summer Sale", d(year, 6, 24), d(year, 7, 7), 1.12, 1.25, big),
        ("BTS", "Back to School", d(year, 8, 20), d(year, 9, 3), 1.05, 1.1, social),
        (
            "BF",
            "Black Friday",
            bf - dt.timedelta(days=3),
            bf + dt.timedelta(days=3),
            1.7,
            1.6,
            big,
        ),
        ("XMAS", "Christmas", d(year, 12, 1), d(year, 12, 20), 1.25, 1.2, big),
        ("BOXING", "Boxing Day Sale", d(year, 12, 26), d(year, 12, 31), 1.45, 1.4, big),
    ]
    return [
        Promo(key, name, day_number(a), day_number(b), tr, cv, ch)
        for key, name, a, b, tr, cv, ch in spec
    ]


class Period:
    """Days of the period with their weights; month chunks; time sampling."""

    def __init__(
        self,
        start: dt.date,
        end: dt.date,
        profile: Profile,
        origin: dt.date | None = None,
    ) -> None:
        """``origin``: the day traffic growth counts from (default ``start``); a
        continued week passes the world's first day so its traffic level follows on."""
        self.start = start
        self.end = end
        self.profile = profile
        self.first_day = day_number(start)
        self.last_day = day_number(end)
        self.start_ts = self.first_day * DAY
        self.end_ts = (self.last_day + 1) * DAY - 1  # last second of the period
        self.days: I64 = np.arange(self.first_day, self.last_day + 1, dtype=np.int64)
        n = len(self.days)
        dates = self.days.astype("datetime64[D]")
        months = dates.astype("datetime64[M]").astype(np.int64) % 12  # 0 = January
        weekday = (self.days + 3) % 7  # Monday = 0
        growth_from = self.first_day if origin is None else day_number(origin)
        years = (self.days - growth_from) / 365.25
        traffic = (1.0 + profile.growth_per_year) ** years
        traffic = traffic * np.asarray(profile.month_weights)[months]
        traffic = traffic * np.asarray(profile.weekday_weights)[(weekday + 1) % 7]
        conversion = np.ones(n)
        promo_of_day = np.full(n, -1, dtype=np.int64)
        self.promos: list[Promo] = []
        for year in range(start.year, end.year + 1):
            for promo in promos_for_year(year):
                a = max(promo.start, self.first_day)
                b = min(promo.end, self.last_day)
                if a > b:
                    continue
                promo = Promo(
                    promo.key,
                    promo.name,
                    a,
                    b,
                    promo.traffic,
                    promo.conversion,
                    promo.channels,
                )
                sl = slice(a - self.first_day, b - self.first_day + 1)
                traffic[sl] *= promo.traffic
                conversion[sl] *= promo.conversion
                promo_of_day[sl] = len(self.promos)
                self.promos.append(promo)
        for year in range(start.year, end.year + 1):
            for dom, factor in ((24, 0.8), (25, 0.55)):  # Christmas Eve and Day
                i = day_number(dt.date(year, 12, dom)) - self.first_day
                if 0 <= i < n:
                    traffic[i] *= factor
            bf = day_number(_black_friday(year)) - self.first_day
            for offset, factor in ((0, 1.6), (3, 1.3)):  # Black Friday, Cyber Monday
                if 0 <= bf + offset < n:
                    traffic[bf + offset] *= factor
        self.traffic: F64 = traffic
        self.conversion: F64 = conversion
        self.promo_of_day: I64 = promo_of_day
        hours = np.asarray(profile.hour_weights, dtype=np.float64)
        self.hour_cdf: F64 = np.cumsum(hours) / hours.sum()
        # month chunks: [first index, last index + 1) into self.days
        month_id = dates.astype("datetime64[M]").astype(np.int64)
        cut = np.flatnonzero(np.diff(month_id)) + 1
        bounds = np.concatenate([[0], cut, [n]]).astype(np.int64)
        self.months: list[tuple[int, int]] = [
            (int(bounds[i]), int(bounds[i + 1])) for i in range(len(bounds) - 1)
        ]

    @property
    def n_days(self) -> int:
        return len(self.days)

    def day_index(self, ts: I64) -> I64:
        return ts // DAY - self.first_day

    def sample_days(
        self, rng: np.random.Generator, n: int, weights: F64, lo: int, hi: int
    ) -> I64:
        """n day indices in [lo, hi) drawn with the given per-day weights."""
        w = weights[lo:hi]
        cdf = np.cumsum(w)
        u = rng.random(n) * cdf[-1]
        idx: I64 = np.searchsorted(cdf, u, side="right").astype(np.int64)
        return np.minimum(idx, hi - lo - 1) + lo

    def sample_seconds_in_day(self, rng: np.random.Generator, n: int) -> I64:
        """Second of the day following the hour-of-day profile."""
        hour = np.searchsorted(self.hour_cdf, rng.random(n), side="right")
        hour = np.minimum(hour, 23)
        return (hour * 3600 + rng.integers(0, 3600, n)).astype(np.int64)

    def sample_times(
        self, rng: np.random.Generator, n: int, weights: F64, lo: int, hi: int
    ) -> I64:
        days = self.sample_days(rng, n, weights, lo, hi)
        return (self.days[days] * DAY + self.sample_seconds_in_day(rng, n)).astype(
            np.int64
        )
