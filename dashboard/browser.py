"""Drive the dashboard in headless Chromium: load every page, wait for its charts,
collect page errors, save a screenshot. Used by the browser tests and by
`python -m dashboard.browser` (refreshes the README's screenshots in docs/img/).

Chromium is Debian's (`make browser` installs it); Playwright from PyPI drives it,
its own browser download is never used.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Each page's URL path (Streamlit derives it from the page file's name) and the
# number of charts it draws.
PAGES: dict[str, int] = {
    "customers": 5,
    "products": 2,
    "orders": 5,
    "campaigns": 4,
    "ad_structure": 4,
    "performance": 5,
}
# Tall enough for a whole page: Streamlit scrolls inside its own container, so a
# "full page" screenshot would stop at the viewport.
VIEWPORT = {"width": 1400, "height": 2200}


@dataclass
class PageResult:
    name: str
    charts: int
    seconds: float
    errors: list[str] = field(default_factory=list)
    screenshot: Path | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve(duckdb_path: Path, timeout: float = 60) -> Iterator[str]:
    """The dashboard, started by `streamlit run` on a free localhost port, over
    `duckdb_path`; yields its base URL and stops it on exit."""
    port = free_port()
    env = {**os.environ, "CARTIFY_DUCKDB_PATH": str(duckdb_path)}
    process = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run",
            str(settings.REPO / "dashboard" / "app.py"),
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(port),
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                stderr = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"streamlit exited: {stderr.strip()[-500:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not answer on {url}") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _shrink(png: bytes) -> bytes:
    """A screenshot as a small palette PNG (for the repository)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=128).save(out, format="PNG", optimize=True)
    return out.getvalue()


def visit(
    url: str,
    pages: dict[str, int] | None = None,
    screenshots: Path | None = None,
    timeout_ms: int = 60_000,
) -> list[PageResult]:
    """Load each page in headless Chromium and wait until its charts are drawn and
    Streamlit has finished running the page."""
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            for name, expected in (pages or PAGES).items():
                errors.clear()
                started = time.perf_counter()
                # The first page is the app's default, served at the root.
                path = "" if name == next(iter(PAGES)) else name
                page.goto(f"{url}/{path}", wait_until="domcontentloaded")
                charts = page.locator(
                    '[data-testid="stVegaLiteChart"] canvas, '
                    '[data-testid="stVegaLiteChart"] svg.marks'
                )
                page.wait_for_function(
                    """([selector, expected]) =>
                        document.querySelectorAll(selector).length >= expected
                        && !document.querySelector('[data-testid="stStatusWidget"]')""",
                    arg=[
                        '[data-testid="stVegaLiteChart"] canvas, '
                        '[data-testid="stVegaLiteChart"] svg.marks',
                        expected,
                    ],
                    timeout=timeout_ms,
                )
                seconds = time.perf_counter() - started
                for message in page.locator(
                    '[data-testid="stException"], [data-testid="stAlertContentError"]'
                ).all_inner_texts():
                    errors.append(message.strip().splitlines()[0])
                result = PageResult(name, charts.count(), seconds, list(errors))
                if screenshots is not None:
                    screenshots.mkdir(parents=True, exist_ok=True)
                    result.screenshot = screenshots / f"dashboard_{name}.png"
                    result.screenshot.write_bytes(
                        _shrink(page.screenshot(full_page=True))
                    )
                results.append(result)
        finally:
            browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=settings.duckdb_path())
    parser.add_argument("--out", type=Path, default=settings.REPO / "docs" / "img")
    args = parser.parse_args(argv)
    if not args.db.is_file():
        print(
            f"error: no warehouse at {args.db}; run `make build` first", file=sys.stderr
        )
        return 2
    if not CHROMIUM.exists():
        print(f"error: no {CHROMIUM}; run `make browser`", file=sys.stderr)
        return 2
    with serve(args.db) as url:
        results = visit(url, screenshots=args.out)
    failed = False
    for result in results:
        status = "ok" if not result.errors else "; ".join(result.errors)
        print(
            f"{result.name:<14} {result.charts} charts {result.seconds:5.2f} s "
            f"{result.screenshot}  {status}"
        )
        failed |= bool(result.errors)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
