"""`python -m bench.dashboard`: how long each dashboard page takes to render.

For each page, over a built warehouse (`--db`, or `--scale S` to generate and build
one in a temporary directory): the time from navigation to every chart drawn and
Streamlit idle, in headless Chromium against `streamlit run` on a free localhost
port. *Cold* rounds change the warehouse file's modification time first, so the
app's query cache misses as after a rebuild (every query runs); *warm* rounds do
not (a rerun: a filter changed back, another user). The browser has fetched
Streamlit's JavaScript once before the timed rounds, as a returning user has.

Medians over `--repeats` rounds of each kind; the target is 2 s per page, cold, on a
scale 10 warehouse. Results go to bench/results/dashboard.json. Exit 1 when a page
misses the target.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.pipeline import REPO

TARGET_SECONDS = 2.0


def _build(scale: float, seed: int, root: Path) -> Path:
    """Generate a world and build it with dbt (every model, no tests)."""
    raw, db = root / "raw", root / "cartify.duckdb"
    env = {
        **os.environ,
        "CARTIFY_DUCKDB_PATH": str(db),
        "CARTIFY_DATA_DIR": str(raw),
        "DBT_PROFILES_DIR": str(REPO),
    }
    dbt = Path(sys.executable).with_name("dbt")
    for command in (
        [sys.executable, "-m", "generator", "--scale", str(scale), "--seed",
         str(seed), "--out", str(raw), "--quiet"],
        [str(dbt), "build", "--quiet", "--exclude-resource-type", "test",
         "--exclude-resource-type", "unit_test",
         "--target-path", str(root / "target"), "--log-path", str(root / "logs")],
    ):  # fmt: skip
        subprocess.run(command, cwd=REPO, env=env, check=True)
    return db


def _browser(db: Path, repeats: int) -> dict[str, dict[str, float]]:
    from dashboard import browser

    def touch(round_: int) -> None:
        # Even rounds are cold: a new mtime is a rebuilt warehouse to the cache.
        if round_ % 2 == 0:
            os.utime(db)

    with browser.serve(db) as url:
        # One untimed round: the browser fetches Streamlit's JavaScript once.
        browser.visit(url)
        results = browser.visit(url, rounds=2 * repeats, before_round=touch)
    timings: dict[str, dict[str, float]] = {}
    for name in browser.PAGES:
        mine = [r for r in results if r.name == name]
        if any(r.errors for r in mine):
            raise SystemExit(f"error: page {name} showed an error: {mine[0].errors}")
        timings[name] = {
            "browser_cold_s": statistics.median(
                r.seconds for r in mine if r.round % 2 == 0
            ),
            "browser_warm_s": statistics.median(
                r.seconds for r in mine if r.round % 2 == 1
            ),
        }
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.dashboard", description=__doc__.split("\n\n")[0]
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", type=Path, help="a built warehouse (DuckDB file)")
    where.add_argument(
        "--scale", type=float, help="generate and build a world at this scale first"
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--out", type=Path, default=REPO / "bench" / "results" / "dashboard.json"
    )
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    with tempfile.TemporaryDirectory(prefix="bench_dashboard_") as tmp:
        if args.scale is not None:
            if not 0 < args.scale <= 100:
                parser.error("--scale must be in (0, 100]")
            db = _build(args.scale, args.seed, Path(tmp))
        else:
            db = args.db or REPO / "warehouse" / "cartify.duckdb"
        if not db.is_file():
            print(f"error: no warehouse at {db}; run `make build` or pass --scale",
                  file=sys.stderr)  # fmt: skip
            return 2
        size_mb = db.stat().st_size / 2**20
        clients = _browser(db, args.repeats)
    print(f"Dashboard render times, {db.name} ({size_mb:,.0f} MiB), medians of "
          f"{args.repeats}; target {TARGET_SECONDS:.0f} s per page")  # fmt: skip
    header = ("page", "cold", "warm")
    print(f"{header[0]:<14}" + "".join(f"{h:>14}" for h in header[1:]))
    print(f"{'':<14}{'(seconds, navigation to charts drawn)':>28}")
    rows: list[dict[str, object]] = []
    missed: list[str] = []
    for name, figures in clients.items():
        rows.append({"page": name, **figures})
        print(f"{name:<14}" + "".join(
            f"{figures[k]:>13.2f}s" for k in
            ("browser_cold_s", "browser_warm_s")
        ))  # fmt: skip
        if figures["browser_cold_s"] > TARGET_SECONDS:
            missed.append(name)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "db": str(db),
                "db_mib": size_mb,
                "scale": args.scale,
                "repeats": args.repeats,
                "target_s": TARGET_SECONDS,
                "load_average": os.getloadavg(),
                "pages": rows,
            },
            indent=2,
        )
    )
    if missed:
        print(f"over the {TARGET_SECONDS:.0f} s target: {', '.join(missed)}")
        return 1
    print(f"every page under {TARGET_SECONDS:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
