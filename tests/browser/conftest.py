"""A real AidBridge served by `aidbridge serve` on its own database, driven by Debian's
Chromium through Playwright. Without /usr/bin/chromium the tests skip with a message, unless
AIDBRIDGE_REQUIRE_BROWSER=1 (CI), where that is a failure."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(os.environ.get("AIDBRIDGE_SCREENSHOTS", "var/screenshots"))
SERVED_ENV: dict = {}  # the served app's environment, for a test's set-up through its services


def _database_url(tmp: Path) -> tuple[str, callable]:
    """A fresh database for the served app: PostgreSQL if the suite runs on it, else SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp / 'browser.sqlite3'}", lambda: None
    import psycopg

    base, _, _name = url.rpartition("/")
    name = f"aidbridge_browser_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{base}/{name}", drop


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """Base URL of an AidBridge with the demo loaded, served the way `make run` serves it."""
    if not Path(CHROMIUM).exists():
        message = f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("AIDBRIDGE_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    tmp = tmp_path_factory.mktemp("served")
    url, drop = _database_url(tmp)
    env = {**os.environ, "DATABASE_URL": url, "AIDBRIDGE_HOME": str(tmp)}
    SERVED_ENV.update(env)
    cli = [sys.executable, "-m", "aidbridge.cli"]
    subprocess.run([*cli, "migrate", "-v", "0"], env=env, check=True)
    subprocess.run([*cli, "demo", "--households", "300"], env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=15)
        drop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    yield context.new_page()
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
