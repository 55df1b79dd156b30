"""`python -m bench`: the pipeline benchmark (see bench/pipeline.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.engines import ENGINES, EngineOptions
from bench.engines import run as run_engines
from bench.pipeline import REPO, Options, run


def _scales(text: str) -> tuple[float, ...]:
    try:
        scales = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not scales or any(scale <= 0 for scale in scales):
        raise argparse.ArgumentTypeError("scales must be positive numbers")
    return scales


def _targets(text: str) -> tuple[str, ...]:
    targets = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [target for target in targets if target not in ENGINES]
    if not targets or unknown:
        raise argparse.ArgumentTypeError(
            f"targets are a comma-separated subset of {','.join(ENGINES)}"
        )
    return targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=(
            "Time generate, load, dbt build and dbt tests at each scale (seconds, "
            "rows/s, peak RSS), show the slowest models, and compare the KPIs with "
            "the SQLite + pandas way on the same rows."
        ),
    )
    parser.add_argument(
        "--scales", type=_scales, default=(0.1, 1.0, 10.0),
        help="comma-separated scales (default: 0.1,1,10)",
    )
    parser.add_argument("--seed", type=int, default=42, help="generator seed")
    parser.add_argument(
        "--format", choices=("csv", "parquet"), default="csv",
        help="the raw files the generator writes and dbt reads (default csv)",
    )
    parser.add_argument(
        "--parse", choices=("warm", "cold"), default="warm",
        help=(
            "warm (default): `dbt parse` first, measured apart, so the build reuses "
            "the partial-parse file as a production run does; cold: the build "
            "parses the whole project, as a first run in a fresh clone"
        ),
    )
    parser.add_argument(
        "--weekly", action="store_true",
        help=(
            "after each scale's run: continue the world by one week and time the "
            "incremental build against a full refresh"
        ),
    )
    parser.add_argument(
        "--target", type=_targets, default=None, metavar="T[,T...]",
        help=(
            "compare engines instead (bench/engines.py): load, build and test "
            f"seconds side by side for one scale; any of {','.join(ENGINES)}"
        ),
    )
    parser.add_argument(
        "--repeat", type=int, default=1,
        help="with --target: runs per engine, the table shows medians (default 1)",
    )
    parser.add_argument(
        "--out", type=Path, default=REPO / "bench" / "results" / "pipeline.json",
        help="JSON results; a CSV is written beside it (default: bench/results/)",
    )
    parser.add_argument(
        "--workdir", type=Path, default=None,
        help="where to generate and build (default: a temporary directory)",
    )
    parser.add_argument(
        "--keep", action="store_true",
        help="keep each scale's data, warehouse and logs instead of deleting them",
    )
    parser.add_argument(
        "--no-sqlite", dest="sqlite", action="store_false",
        help="skip the SQLite/pandas baseline and the KPI comparison",
    )
    parser.add_argument(
        "--explain", type=int, default=3, metavar="N",
        help="profile the N slowest models with EXPLAIN ANALYZE (default: 3)",
    )
    parser.add_argument(
        "--top", type=int, default=10, metavar="N",
        help="how many slowest models to list (default: 10)",
    )
    args = parser.parse_args(argv)
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(f"error: cannot write results to {args.out}: {error}", file=sys.stderr)
        return 2
    if args.target is not None:
        if len(args.scales) != 1 or args.repeat < 1:
            parser.error("--target takes one scale (--scales S) and --repeat >= 1")
        out = args.out
        if out == parser.get_default("out"):
            out = out.with_name("engines.json")
        return run_engines(
            EngineOptions(
                targets=args.target,
                scale=args.scales[0],
                seed=args.seed,
                repeat=args.repeat,
                out=out.resolve(),
                workdir=args.workdir.resolve() if args.workdir else None,
            )
        )
    options = Options(
        scales=args.scales,
        seed=args.seed,
        out=args.out.resolve(),
        workdir=args.workdir.resolve() if args.workdir else None,
        keep=args.keep,
        sqlite=args.sqlite,
        explain=args.explain,
        top=args.top,
        format=args.format,
        parse=args.parse,
        weekly=args.weekly,
    )
    return run(options)


if __name__ == "__main__":
    raise SystemExit(main())
