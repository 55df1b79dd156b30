"""The command line: defaults, progress lines, and user errors (exit 2, one line on
stderr starting with "error:", no traceback, nothing left behind)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_one_error_line(stderr: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr


BAD_ARGUMENTS = [
    ["--scale", "0"],
    ["--scale", "-1"],
    ["--scale", "101"],
    ["--scale", "abc"],
    ["--seed", "x"],
    ["--start", "2025-02-30"],
    ["--end", "31/12/2025"],
    ["--start", "2025-06-01", "--end", "2025-01-01"],
    ["--start", "2025-01-01", "--years", "2"],
    ["--no-such-flag"],
]


@pytest.mark.parametrize("bad", BAD_ARGUMENTS, ids=" ".join)
def test_bad_arguments(
    bad: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "raw"
    assert main([*bad, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert_one_error_line(captured.err)
    assert list(tmp_path.iterdir()) == []


def test_bad_argument_in_a_real_process(tmp_path: Path) -> None:
    result = run("--scale", "0", "--out", str(tmp_path / "raw"))
    assert result.returncode == 2
    assert_one_error_line(result.stderr)
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_unwritable_directory(tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory\n")
    result = run("--scale", "0.01", "--out", str(blocker / "raw"))
    assert result.returncode == 2
    assert_one_error_line(result.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


def test_refuses_to_replace_a_foreign_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("keep me\n")
    assert main(["--scale", "0.01", "--quiet", "--out", str(tmp_path)]) == 2
    assert_one_error_line(capsys.readouterr().err)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_generate_replaces_previous_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "raw"
    assert main(["--scale", "0.01", "--seed", "1", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "website_sessions: " in err and " rows, " in err  # progress lines
    (out / "stale.csv").write_text("old\n")
    assert (
        main(
            ["generate", "--scale", "0.01", "--seed", "2", "--quiet", "--out", str(out)]
        )
        == 0
    )
    assert capsys.readouterr().err == ""  # --quiet
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 2
    assert not (out / "stale.csv").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["raw"]  # no temp dirs left


def test_period_options(tmp_path: Path) -> None:
    out = tmp_path / "raw"
    assert main(["--scale", "0.01", "--years", "1", "--quiet", "--out", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["period_start"], manifest["period_end"]) == (
        "2025-01-01",
        "2025-12-31",
    )
    assert main(["--scale", "0.01", "--start", "2025-03-01", "--end", "2025-05-31",
                 "--quiet", "--out", str(out)]) == 0  # fmt: skip
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["period_start"], manifest["period_end"]) == (
        "2025-03-01",
        "2025-05-31",
    )


def test_calibrate_on_existing_data(
    generated_world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["calibrate", "--data", str(generated_world)])
    out = capsys.readouterr().out
    assert "sessions_to_orders" in out and "avg_cpc" in out
    assert code in (0, 1)  # 1 = some KPI outside +-15% (possible at this small scale)


def test_help_shows_the_default_commands_options() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "--scale" in result.stdout and "calibrate" in result.stdout


def test_no_abbreviated_options(tmp_path: Path) -> None:
    # `--scal 1` once meant `--scale 1` and silently replaced data/raw
    out = tmp_path / "raw"
    result = run("--scal", "0.01", "--out", str(out))
    assert result.returncode == 2
    assert_one_error_line(result.stderr)
    assert "--scal" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_replacing_a_world_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "raw"
    assert main(["--scale", "0.01", "--seed", "1", "--out", str(out)]) == 0
    assert "replaced" not in capsys.readouterr().err  # nothing was there
    assert main(["--scale", "0.01", "--seed", "2", "--out", str(out)]) == 0
    notices = [
        line for line in capsys.readouterr().err.splitlines() if "replaced" in line
    ]
    assert notices == [
        f"replaced the world in {out} "
        "(was seed 1, scale 0.01, 2024-01-01 to 2025-12-31, batch 0)"
    ]


def _limit_file_size() -> None:  # runs in the child before exec
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_file_too_large_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    """Any file above 200 kB fails to write (as on a full disk): one line naming
    the file, exit 2, no temporary directory left, the previous world untouched."""
    out = tmp_path / "raw"
    assert main(["--scale", "0.01", "--seed", "1", "--quiet", "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--scale", "0.05", "--quiet",
         "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
        preexec_fn=_limit_file_size,
    )  # fmt: skip
    assert result.returncode == 2
    assert_one_error_line(result.stderr)
    assert result.stderr.startswith(f"error: cannot write {out}/"), result.stderr
    assert ".csv: File too large" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["raw"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_permission_error_while_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    import generator.cli as cli

    def refuse(config: object, directory: Path) -> None:
        (directory / "customers.csv").write_text("partial")
        raise PermissionError(13, "Permission denied", str(directory / "orders.csv"))

    monkeypatch.setattr(cli, "generate", refuse)
    out = tmp_path / "raw"
    assert main(["--scale", "0.01", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert_one_error_line(err)
    assert err.strip() == (
        f"error: cannot write {out / 'orders.csv'}: Permission denied; "
        "nothing was changed"
    )
    assert list(tmp_path.iterdir()) == []
