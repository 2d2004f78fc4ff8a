"""The dashboard in a real headless Chromium (Debian's `chromium`, driven by Playwright), while an
ingest writes to the same database. Screenshots go to tests/artifacts/ for the closing note."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import HOSTILE_TITLE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian package chromium is not installed")


def _late_articles(folder: Path) -> Path:
    """Our own articles for an ingest that runs while the browser reads the same database."""
    folder.mkdir()
    lines = [json.dumps({"id": f"late-{i}", "date": f"2024-07-0{i % 9 + 1}",
                         "text": f"Norway praised Sweden for the fisheries deal number {i}. "
                                 f"Chile and Peru held talks in Lima on day {i}."}) for i in range(120)]
    (folder / "late.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_dashboard_in_a_real_browser_during_an_ingest(live_server: tuple[str, Path, int], tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    base, db, _ = live_server
    ARTIFACTS.mkdir(exist_ok=True)
    ingest = subprocess.Popen([sys.executable, "-m", "eventcoder.cli", "ingest", str(_late_articles(tmp_path / "l")),
                               "--db", str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    errors: list[str] = []
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))

            page.goto(base + "/")
            assert page.locator("#chart-map svg").count() == 1
            assert page.locator("#chart-timeline svg [class~=mark]").count() > 0
            page.screenshot(path=str(ARTIFACTS / "01-overview.png"), full_page=True)

            page.goto(base + "/events")
            page.fill("#filter-country", "ukr")
            page.click("#apply-filters")
            page.wait_for_url("**/events?*country=ukr*")
            rows = page.locator("#events-table tbody tr.event-row")
            assert rows.count() > 0
            for text in rows.all_inner_texts():
                assert "UKR" in text
            page.screenshot(path=str(ARTIFACTS / "02-events-filtered-ukr.png"), full_page=True)

            page.locator("a.event-link").first.click()
            page.wait_for_url("**/events/ev-*")
            evidence = page.locator("mark#evidence")
            assert evidence.count() == 1 and "Ukraine" in evidence.inner_text()
            assert evidence.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
            page.screenshot(path=str(ARTIFACTS / "03-event-evidence.png"), full_page=True)

            page.click("#nav-arms")
            page.wait_for_url("**/arms")
            arms = page.locator("#arms-table tbody tr.arms-row")
            assert arms.count() > 0
            statuses = {t.strip().split("\n")[0] for t in page.locator("#arms-table td.status").all_inner_texts()}
            assert {"requested", "delivered"} <= statuses
            page.screenshot(path=str(ARTIFACTS / "04-arms-register.png"), full_page=True)

            page.goto(base + "/documents/hostile-1")
            assert page.locator("h1").inner_text() == HOSTILE_TITLE  # shown as text, never run
            page.screenshot(path=str(ARTIFACTS / "05-hostile-document.png"), full_page=True)

            page.goto(base + "/actors")
            assert page.locator("#chart-network svg").count() == 1
            page.screenshot(path=str(ARTIFACTS / "06-actors-network.png"), full_page=True)
            browser.close()
    finally:
        _, stderr = ingest.communicate(timeout=300)
    assert ingest.returncode == 0, stderr
    assert not [e for e in errors if "favicon" not in e], errors
    import urllib.request

    body = json.loads(urllib.request.urlopen(base + "/api/documents/late-119", timeout=10).read())
    assert body["status"] == "ok"  # the ingest finished into the database the server was reading
