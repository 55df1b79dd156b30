"""Benchmark of the data generator alone: `python -m bench.generator [--scales ...]`.

For each scale it runs `python -m generator` end to end in a child process (imports,
simulation, CSV writing, the atomic move) and reports rows written, wall seconds,
rows/s, CPU seconds (user + system) and the child's peak RSS (from wait4's rusage,
so only that child is counted). On a shared machine wall time depends on the load,
so each run records the load average beside it and `--repeat` keeps the fastest.
Results go to bench/results/generator.json. Not a timed test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "bench" / "results" / "generator.json"


def _scales(text: str) -> list[float]:
    try:
        scales = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not scales or any(not 0 < s <= 100 for s in scales):
        raise argparse.ArgumentTypeError("scales must be in (0, 100]")
    return scales


def run_once(scale: float, seed: int, workdir: Path) -> dict[str, Any]:
    out = workdir / f"raw_{scale:g}"
    cmd = [sys.executable, "-m", "generator", "--scale", f"{scale:g}",
           "--seed", str(seed), "--out", str(out), "--quiet"]  # fmt: skip
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"error: generator failed at scale {scale:g}: {err.strip()}")
    manifest = json.loads((out / "manifest.json").read_text())
    rows = sum(manifest["tables"].values())
    size = sum(f.stat().st_size for f in out.iterdir())
    shutil.rmtree(out)
    cpu = usage.ru_utime + usage.ru_stime
    return {
        "scale": scale,
        "rows": rows,
        "tables": manifest["tables"],
        "seconds": round(seconds, 3),
        "rows_per_second": round(rows / seconds),
        "cpu_seconds": round(cpu, 3),
        "rows_per_cpu_second": round(rows / cpu),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux: KiB
        "csv_mb": round(size / 1e6, 1),
        "load_average_1m": round(load, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generator", description=__doc__
    )
    parser.add_argument("--scales", type=_scales, default=[0.1, 1.0],
                        help="comma-separated scales (default 0.1,1)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per scale, the fastest reported")  # fmt: skip
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="cartify-bench-gen-") as tmp:
        for scale in args.scales:
            runs = [run_once(scale, args.seed, Path(tmp)) for _ in range(args.repeat)]
            best = min(runs, key=lambda r: r["seconds"])
            best["runs"] = len(runs)
            best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
            results.append(best)
            b = best
            print(
                f"scale {scale:>6g}: {b['rows']:>11,} rows  {b['seconds']:>7.2f} s"
                f"  {b['rows_per_second']:>10,} rows/s  cpu {b['cpu_seconds']:.2f} s"
                f"  ({b['rows_per_cpu_second']:,} rows/cpu-s)"
                f"  peak RSS {b['peak_rss_mb']:.0f} MB  load {b['load_average_1m']}",
                flush=True,
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "benchmark": "generator",
        "seed": args.seed,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "results": results,
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    shown = args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out
    print(f"wrote {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
