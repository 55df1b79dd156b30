"""numpy -> Arrow column builders in the contract's formats, and grouped sampling."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]


def _validity(null: B | None, n: int) -> pa.Buffer | None:
    if null is None or not null.any():
        return None
    return pa.py_buffer(np.packbits(~null, bitorder="little"))


def money(cents: npt.ArrayLike, null: B | None = None) -> pa.Array:
    """Integer cents -> decimal128(12, 2), which pyarrow writes as ``12.30``."""
    values = np.ascontiguousarray(cents, dtype=np.int64)
    n = len(values)
    words = np.empty((n, 2), dtype=np.int64)
    words[:, 0] = values
    words[:, 1] = values >> 63  # sign extension to 128 bits
    return pa.Array.from_buffers(
        pa.decimal128(12, 2), n, [_validity(null, n), pa.py_buffer(words)]
    )


def ints(values: npt.ArrayLike, null: B | None = None) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.int64), mask=null)


def floats(values: npt.ArrayLike) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.float64))


def bools(values: npt.ArrayLike) -> pa.Array:
    return pa.array(np.asarray(values, dtype=np.bool_))


def timestamps(seconds: npt.ArrayLike, null: B | None = None) -> pa.Array:
    values = np.asarray(seconds, dtype=np.int64).astype("datetime64[s]")
    return pa.array(values, type=pa.timestamp("s"), mask=null)


def dates(days: npt.ArrayLike, null: B | None = None) -> pa.Array:
    values = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    return pa.array(values, type=pa.date32(), mask=null)


def texts(
    pool: Sequence[str] | pa.Array, index: npt.ArrayLike, null: B | None = None
) -> pa.Array:
    """pool[index] as a string column (null where ``null``)."""
    pool_array = pool if isinstance(pool, pa.Array) else pa.array(pool, pa.string())
    idx = pa.array(np.asarray(index, dtype=np.int64), mask=null)
    return pc.take(pool_array, idx)


def join(*parts: pa.Array | str) -> pa.Array:
    """Element-wise string concatenation of columns and literals."""
    return pc.binary_join_element_wise(*parts, "")


def grouped_choice(
    rng: np.random.Generator,
    option_group: I64,
    option_weight: F64,
    item_group: I64,
) -> I64:
    """For each item, draw one option of the item's group, proportional to weight.

    Returns option indices (into the inputs), -1 where the group has no option.
    Groups are non-negative integers. Vectorized with one searchsorted.
    """
    n_items = len(item_group)
    if len(option_group) == 0:
        return np.full(n_items, -1, dtype=np.int64)
    order = np.argsort(option_group, kind="stable")
    groups = option_group[order]
    weights = option_weight[order]
    cum = np.cumsum(weights)
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    group_start_cum = (cum - weights)[starts]
    group_total = np.add.reduceat(weights, starts)
    run = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(groups)]))
    frac = (cum - group_start_cum[run]) / group_total[run]
    shrink = 1.0 - 1e-9
    keys = groups.astype(np.float64) + frac * shrink
    q = item_group.astype(np.float64) + rng.random(n_items) * shrink
    pos = np.searchsorted(keys, q, side="left")
    pos = np.minimum(pos, len(keys) - 1)
    found = groups[pos] == item_group
    return np.where(found, order[pos], -1).astype(np.int64)


def choice(rng: np.random.Generator, n: int, weights: Sequence[float] | F64) -> I64:
    """n draws of indices 0..k-1 with the given (unnormalised) weights."""
    w = np.asarray(weights, dtype=np.float64)
    cdf = np.cumsum(w) / w.sum()
    idx = np.searchsorted(cdf, rng.random(n), side="right")
    return np.minimum(idx, len(w) - 1).astype(np.int64)
