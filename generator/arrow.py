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


def strings(values: Sequence[str]) -> pa.Array:
    """A string column from Python strings, built from its buffers: pa.array() on
    Python objects makes pyarrow import pandas (~0.3 s), which nothing else needs."""
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    data = pa.py_buffer(b"".join(encoded))
    return pa.Array.from_buffers(
        pa.string(), len(encoded), [None, pa.py_buffer(offsets), data]
    )


def _fixed(
    kind: pa.DataType, values: npt.NDArray[np.generic], null: B | None
) -> pa.Array:
    """A fixed-width column straight from a numpy buffer (pa.array() would import
    pandas to look for pandas types)."""
    data = np.ascontiguousarray(values)
    n = len(data)
    return pa.Array.from_buffers(kind, n, [_validity(null, n), pa.py_buffer(data)])


def ints(values: npt.ArrayLike, null: B | None = None) -> pa.Array:
    return _fixed(pa.int64(), np.asarray(values, dtype=np.int64), null)


def floats(values: npt.ArrayLike) -> pa.Array:
    return _fixed(pa.float64(), np.asarray(values, dtype=np.float64), None)


def bools(values: npt.ArrayLike) -> pa.Array:
    bits = np.packbits(np.asarray(values, dtype=np.bool_), bitorder="little")
    n = len(np.asarray(values))
    return pa.Array.from_buffers(pa.bool_(), n, [None, pa.py_buffer(bits)])


def timestamps(seconds: npt.ArrayLike, null: B | None = None) -> pa.Array:
    return _fixed(pa.timestamp("s"), np.asarray(seconds, dtype=np.int64), null)


def dates(days: npt.ArrayLike, null: B | None = None) -> pa.Array:
    return _fixed(pa.date32(), np.asarray(days, dtype=np.int32), null)


def texts(
    pool: Sequence[str] | pa.Array, index: npt.ArrayLike, null: B | None = None
) -> pa.Array:
    """pool[index] as a string column (null where ``null``).

    Dictionary-encoded: the CSV writer renders it as plain strings, for a fraction of
    the cost of materialising the strings first.
    """
    pool_array = pool if isinstance(pool, pa.Array) else strings(pool)
    idx = _fixed(pa.int32(), np.asarray(index, dtype=np.int32), null)
    return pa.DictionaryArray.from_arrays(idx, pool_array)


def join(*parts: pa.Array | str) -> pa.Array:
    """Element-wise string concatenation of columns and literals."""
    decoded = [
        p.dictionary_decode()
        if isinstance(p, pa.Array) and pa.types.is_dictionary(p.type)
        else p
        for p in parts
    ]
    # literals as Arrow scalars: a Python str would make pyarrow import pandas
    scalars = [strings([p])[0] if isinstance(p, str) else p for p in decoded]
    return pc.binary_join_element_wise(*scalars, strings([""])[0])


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


TABLE_BITS = 16


def choice(rng: np.random.Generator, n: int, weights: Sequence[float] | F64) -> I64:
    """n draws of indices 0..k-1 with the given (unnormalised) weights.

    A lookup table of 2**16 slots (probabilities rounded to 1/65536, largest
    remainders first) makes each draw one gather instead of a binary search.
    """
    w = np.asarray(weights, dtype=np.float64)
    if len(w) > 256:  # many options (e.g. customers): exact inverse-CDF sampling
        cdf = np.cumsum(w) / w.sum()
        idx = np.searchsorted(cdf, rng.random(n), side="right")
        return np.minimum(idx, len(w) - 1).astype(np.int64)
    slots = 1 << TABLE_BITS
    exact = w / w.sum() * slots
    counts = np.floor(exact).astype(np.int64)
    short = slots - int(counts.sum())
    if short:
        counts[np.argsort(counts - exact, kind="stable")[:short]] += 1
    table = np.repeat(np.arange(len(w), dtype=np.int64), counts)
    return table[rng.integers(0, slots, n)]
