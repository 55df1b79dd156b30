"""Command line: ``python -m generator [generate] ...``, ``python -m generator
--continue DIR --weeks N`` and ``... calibrate ...``.

User errors (bad scale, dates, unwritable --out) print one ``error: ...`` line on
stderr and exit with status 2. Output is written to a temporary directory beside
--out and moved into place only when complete.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import __version__
from .calibrate import measure, report
from .continuation import MAX_WEEKS, continue_world
from .dirty import inject_defects
from .profile import PROFILES
from .simulate import DEFAULT_END, DEFAULT_START, FORMATS, Config, generate
from .world import WorldError

MAX_SCALE = 100.0
MIN_DAYS = 28
COMMANDS = ("generate", "calibrate")


class UsageError(Exception):
    """A mistake of the user: reported as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # `--scal 1` is an error, not `--scale 1`: an abbreviation that happens to
        # match today could silently mean another option tomorrow
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--scale must be a number, got {text!r}"
        ) from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"--scale must be > 0, got {text}")
    if value > MAX_SCALE:
        raise argparse.ArgumentTypeError(
            f"--scale must be at most {MAX_SCALE:g}, got {text}"
        )
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--seed must be an integer, got {text!r}"
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"--seed must be >= 0, got {text}")
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"malformed date {text!r} (expected YYYY-MM-DD)"
        ) from None


def _years(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--years must be an integer, got {text!r}"
        ) from None
    if not 1 <= value <= 20:
        raise argparse.ArgumentTypeError(
            f"--years must be between 1 and 20, got {text}"
        )
    return value


def _weeks(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--weeks must be an integer, got {text!r}"
        ) from None
    if not 1 <= value <= MAX_WEEKS:
        raise argparse.ArgumentTypeError(
            f"--weeks must be between 1 and {MAX_WEEKS}, got {text}"
        )
    return value


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--dirty must be a number, got {text!r}"
        ) from None
    if not 0 <= value <= 0.5:
        raise argparse.ArgumentTypeError(
            f"--dirty must be between 0 and 0.5, got {text}"
        )
    return value


DEFAULT_SCALE = 0.1
DEFAULT_SEED = 42
DEFAULT_OUT = "data/raw"
# options that describe a new world: they cannot be combined with --continue
WORLD_OPTIONS = (
    "scale", "seed", "start", "end", "years", "profile", "out", "format", "dirty",
)


def _common(p: argparse.ArgumentParser, default_out: str | None) -> None:
    # defaults are None here and filled in by _config, so that --continue can tell
    # an option given on the command line from its default
    p.add_argument(
        "--scale",
        type=_scale,
        help=f"size of the world; 1 = ~470k sessions (default {DEFAULT_SCALE})",
    )
    p.add_argument("--seed", type=_seed, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--start", type=_date, help=f"first day (default {DEFAULT_START})")
    p.add_argument("--end", type=_date, help=f"last day (default {DEFAULT_END})")
    p.add_argument(
        "--years",
        type=_years,
        help="the N full calendar years ending --end (instead of --start)",
    )
    p.add_argument("--profile", choices=sorted(PROFILES))
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.add_argument(
        "--out",
        help=(
            f"output directory (default {default_out})"
            if default_out
            else "keep the generated data here (default: a temporary directory)"
        ),
    )


def build_parser() -> Parser:
    parser = Parser(
        prog="python -m generator",
        description="Generate Cartify's raw CSVs (see docs/raw_data.md).",
    )
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    gen = sub.add_parser(
        "generate",
        help="write the raw tables (the default command)",
        description="Write Cartify's raw CSVs and manifest.json (docs/raw_data.md). "
        "The default command; see also: python -m generator calibrate --help",
    )
    _common(gen, DEFAULT_OUT)
    gen.add_argument(
        "--format",
        choices=FORMATS,
        help="csv (default): DIR/<table>.csv; parquet: DIR/<table>/<table>.parquet, "
        "event tables split by month (docs/raw_data.md)",
    )
    gen.add_argument(
        "--continue",
        dest="continue_dir",
        metavar="DIR",
        help="append the next week(s) to the world in DIR (rewritten in place; "
        "see docs/raw_data.md, Weekly continuation)",
    )
    gen.add_argument(
        "--dirty",
        type=_rate,
        metavar="RATE",
        help="spoil about RATE of each table's rows (e.g. 0.01) with the defects of "
        "real feeds, deterministically by seed; each is listed in defects.csv "
        "(docs/raw_data.md, Dirty mode)",
    )
    gen.add_argument(
        "--weeks",
        type=_weeks,
        help=f"with --continue: how many 7-day weeks, 1-{MAX_WEEKS} (default 1)",
    )
    cal = sub.add_parser(
        "calibrate", help="generate, then compare the KPIs with the profile's targets"
    )
    _common(cal, None)
    cal.add_argument(
        "--data", help="measure this existing output instead of generating"
    )
    return parser


def _config(args: argparse.Namespace) -> Config:
    end = args.end or DEFAULT_END
    if args.years is not None:
        if args.start is not None:
            raise UsageError("use either --start or --years, not both")
        start = dt.date(end.year - args.years + 1, 1, 1)
    else:
        start = args.start or DEFAULT_START
    if end < start:
        raise UsageError(f"--end {end} is before --start {start}")
    if (end - start).days + 1 < MIN_DAYS:
        raise UsageError(f"the period must span at least {MIN_DAYS} days")
    return Config(
        scale=DEFAULT_SCALE if args.scale is None else args.scale,
        seed=DEFAULT_SEED if args.seed is None else args.seed,
        start=start,
        end=end,
        profile=PROFILES[args.profile or "default"],
        quiet=args.quiet,
        format=getattr(args, "format", None) or "csv",
    )


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / "manifest.json").exists():
        raise UsageError(
            f"--out {out} is a non-empty directory without manifest.json; "
            "refusing to replace it"
        )


def write_atomically(config: Config, out: Path, dirty: float = 0.0) -> None:
    """Generate into a temporary sibling of ``out``, then swap it into place."""
    out = out.absolute()
    _check_target(out)

    def build(tmp: Path) -> None:
        generate(config, tmp)
        if dirty > 0:
            inject_defects(tmp, dirty, config.seed)

    previous = _describe_world(out) if out.is_dir() else None
    if _swap_in(out, build) and previous and not config.quiet:
        print(f"replaced the world in {out} ({previous})", file=sys.stderr)


def _describe_world(directory: Path) -> str | None:
    try:
        manifest = json.loads((directory / "manifest.json").read_text())
        return (
            f"was seed {manifest['seed']}, scale {manifest['scale']:g}, "
            f"{manifest['period_start']} to {manifest['period_end']}, "
            f"batch {manifest.get('batch', 0)}"
        )
    except FileNotFoundError:
        return None  # an empty directory: nothing is replaced
    except (OSError, ValueError, KeyError, TypeError):
        return "its manifest.json was unreadable"


def continue_atomically(directory: Path, weeks: int, quiet: bool) -> None:
    """Continue the world in ``directory``: the continued world is written into a
    temporary sibling and swapped in whole, as generation does."""
    directory = directory.absolute()
    if not (directory / "manifest.json").is_file():
        raise UsageError(f"--continue {directory} has no manifest.json")
    _swap_in(directory, lambda tmp: continue_world(directory, tmp, weeks, quiet))


def _swap_in(out: Path, build: Callable[[Path], Any]) -> bool:
    """Run ``build`` on a temporary sibling of ``out``, then put it in ``out``'s
    place (nothing changes if ``build`` fails). True if ``out`` existed."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    except OSError as exc:
        raise UsageError(f"cannot write to {out}: {exc.strerror or exc}") from None
    try:
        tmp.chmod(0o755)
        try:
            build(tmp)
        except WorldError as exc:
            raise UsageError(str(exc)) from None
        except OSError as exc:  # disk full, file too large, permission, ...
            raise UsageError(_write_error(exc, tmp, out)) from None
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
            return True
        tmp.rename(out)
        return False
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write_error(exc: OSError, tmp: Path, out: Path) -> str:
    """One line naming the file that could not be written (under its final name)."""
    path = Path(exc.filename) if exc.filename else out
    if path.is_relative_to(tmp):
        path = out / path.relative_to(tmp)
    reason = os.strerror(exc.errno) if exc.errno else str(exc) or type(exc).__name__
    return f"cannot write {path}: {reason}; nothing was changed"


def _calibrate(args: argparse.Namespace) -> int:
    config = _config(args)
    if args.data:
        data = Path(args.data)
        if not (data / "manifest.json").exists():
            raise UsageError(f"--data {data} has no manifest.json")
        values = measure(data)
    elif args.out:
        write_atomically(config, Path(args.out))
        values = measure(Path(args.out))
    else:
        with tempfile.TemporaryDirectory(prefix="cartify-calibrate-") as tmp:
            out = Path(tmp) / "raw"
            write_atomically(config, out)
            values = measure(out)
    profile = config.profile
    if args.data:
        manifest = json.loads((Path(args.data) / "manifest.json").read_text())
        # the data's own profile, unless --profile asks to compare with another
        if args.profile is None and manifest.get("profile") in PROFILES:
            profile = PROFILES[manifest["profile"]]
    text, ok = report(values, profile)
    if args.data:
        print(
            f"calibration of {args.data}: scale {manifest.get('scale')}, "
            f"seed {manifest.get('seed')}, profile {manifest.get('profile')}"
        )
    else:
        print(f"calibration at scale {config.scale:g}, seed {config.seed}, "
              f"profile {config.profile.name}")  # fmt: skip
    print(text)
    return 0 if ok else 1


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so a terminated run still removes its temp directory


def main(argv: Sequence[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    args_list = list(sys.argv[1:] if argv is None else argv)
    # generate is the default command, so `--help` shows its options
    if not args_list or args_list[0] not in (*COMMANDS, "--version"):
        args_list.insert(0, "generate")
    try:
        args = build_parser().parse_args(args_list)
        if args.command == "calibrate":
            return _calibrate(args)
        if args.continue_dir is not None:
            given = [o for o in WORLD_OPTIONS if getattr(args, o) is not None]
            if given:
                raise UsageError(
                    f"--continue takes the world's settings from its manifest; "
                    f"drop --{given[0]}"
                )
            continue_atomically(Path(args.continue_dir), args.weeks or 1, args.quiet)
            return 0
        if args.weeks is not None:
            raise UsageError("--weeks needs --continue DIR")
        config = _config(args)
        if args.dirty and config.format != "csv":
            raise UsageError(
                "--dirty injects defects into CSV text; it cannot be combined "
                f"with --format {config.format}"
            )
        write_atomically(config, Path(args.out or DEFAULT_OUT), args.dirty or 0)
        return 0
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
