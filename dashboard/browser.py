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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard import settings

if TYPE_CHECKING:
    from playwright.sync_api import Page

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
# Each page's URL path (Streamlit derives it from the page file's name; the first
# page is the default, served at the root), its title and the charts it draws.
PAGES: dict[str, tuple[str, int]] = {
    "customers": ("Customers and segments", 5),
    "products": ("Products", 2),
    "orders": ("Orders and sales", 5),
    "campaigns": ("Campaigns", 4),
    "ad_structure": ("Ad structure", 4),
    "performance": ("Ad performance and funnel", 5),
}
# Tall enough for a whole page: Streamlit scrolls inside its own container, so a
# "full page" screenshot would stop at the viewport.
VIEWPORT = {"width": 1400, "height": 2200}


@dataclass
class PageResult:
    name: str
    round: int
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
            "--client.toolbarMode", "viewer",
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
    pages: dict[str, tuple[str, int]] | None = None,
    screenshots: Path | None = None,
    timeout_ms: int = 60_000,
    rounds: int = 1,
    before_round: Callable[[int], None] | None = None,
) -> list[PageResult]:
    """Open the app in headless Chromium, then go to each page as a user does (a
    click in the sidebar), and wait until Streamlit has run the page and its charts
    are drawn; `rounds` times over (calling `before_round(round)` first)."""
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
            page.goto(url, wait_until="domcontentloaded")
            for round_ in range(rounds):
                if before_round is not None:
                    before_round(round_)
                for name, (title, expected) in (pages or PAGES).items():
                    results.append(
                        _load(
                            page,
                            url,
                            name,
                            title,
                            expected,
                            round_,
                            errors,
                            timeout_ms,
                            screenshots,
                        )
                    )
        finally:
            browser.close()
    return results


CHARTS_DRAWN = (
    '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg.marks'
)


def _load(
    page: Page,
    url: str,
    name: str,
    title: str,
    expected: int,
    round_: int,
    errors: list[str],
    timeout_ms: int,
    screenshots: Path | None,
) -> PageResult:
    errors.clear()
    path = "" if name == next(iter(PAGES)) else name
    link = page.locator(f'[data-testid="stSidebarNav"] a[href="{url}/{path}"]')
    link.wait_for(timeout=timeout_ms)
    started = time.perf_counter()
    link.click()
    # Done: the page's title is shown, Streamlit has finished running the page
    # (stale elements of the previous page are gone then) and its charts are drawn.
    page.wait_for_function(
        """([title, selector, expected]) => {
            const app = document.querySelector('[data-testid="stApp"]');
            const heading = document.querySelector('h1');
            return app && app.dataset.testScriptState === 'notRunning'
                && heading && heading.innerText.trim() === title
                && document.querySelectorAll(selector).length >= expected;
        }""",
        arg=[title, CHARTS_DRAWN, expected],
        timeout=timeout_ms,
    )
    seconds = time.perf_counter() - started
    for message in page.locator(
        '[data-testid="stException"], [data-testid="stAlertContentError"]'
    ).all_inner_texts():
        errors.append(message.strip().splitlines()[0])
    charts = page.locator(CHARTS_DRAWN).count()
    result = PageResult(name, round_, charts, seconds, list(errors))
    if screenshots is not None:
        screenshots.mkdir(parents=True, exist_ok=True)
        result.screenshot = screenshots / f"dashboard_{name}.png"
        result.screenshot.write_bytes(_shrink(page.screenshot(full_page=True)))
    return result


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
