"""`report`: one self-contained HTML file plus JSON; rendered in headless Chromium with no console errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ff_analytics.governance.report import history_svg
from ff_analytics.security.pii_scan import scan_text
from ff_analytics.snapshots.store import SnapshotStore
from tests.governance.cli_app import governance_app
from tests.governance.tree import recording

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def make_report(tree: SnapshotStore, out: Path) -> tuple[str, dict]:
    tree.write("ktc", "players", recording("ktc", "players", "players.parquet").head(20), dt="2025-01-20")
    res = CliRunner().invoke(governance_app(), ["report", "--out", str(out), "--as-of", "2025-01-20"])
    assert res.exit_code == 0, res.output
    return (out / "governance_report.html").read_text(), json.loads((out / "governance_report.json").read_text())


def test_report_content_is_self_contained(tree: SnapshotStore, tmp_path: Path) -> None:
    html, doc = make_report(tree, tmp_path / "out")
    assert doc["schema_version"] == 1 and doc["check"] == "report"
    weekly = next(d for d in doc["datasets"] if d["dataset"] == "weekly")
    assert weekly["current_dt"] == "2025-01-19" and weekly["age_days"] == 1 and weekly["warn_after_days"] == 2
    assert [h["row_count"] for h in weekly["history"]] == [896, 1000]
    assert weekly["mapping"] and weekly["gaps"] == []
    players = next(d for d in doc["datasets"] if (d["source"], d["dataset"]) == ("ktc", "players"))
    assert [h["status"] for h in players["history"]] == ["historical", "current", "pending"]
    assert players["anomalies"] == ["20 rows vs 50 in 2025-01-19 (-60.0%): drop beyond 20%"]
    assert doc["summary"]["errors"] == 1 and "drop beyond 20%" in html
    assert "nflverse/weekly" in html and html.count("<svg") >= len(doc["datasets"]) - 1
    markup = re.sub(r"<script[^>]*>.*?</script>", "", html, flags=re.S)  # plotly's JS mentions URLs in strings
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", markup)  # no external assets
    assert not re.search(r"<script[^>]*\bsrc=", html)  # every script is inline: no CDN
    assert len(html) > 3_000_000 and "Plotly.newPlot" in html  # plotly.js itself is in the file
    assert list(scan_text(html, "report")) == []  # no e-mail address from plotly's license banners in the page text
    assert 'id="plot-row-counts"' in html and 'id="plot-freshness"' in html
    assert "no runs recorded yet" in html  # no ops history in this tree
    assert "1000 rows" in history_svg(weekly["history"])


def chromium(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120)


def console_errors(stderr: str) -> list[str]:
    """Console messages Chromium logs from the page (CONSOLE lines), errors and uncaught exceptions."""
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium)")
def test_report_renders_in_headless_chromium_without_console_errors(tree: SnapshotStore, tmp_path: Path) -> None:
    make_report(tree, tmp_path / "out")
    page = tmp_path / "out" / "governance_report.html"
    shot = tmp_path / "out" / "report.png"
    run = chromium([f"--screenshot={shot}", "--window-size=1400,2400", page.as_uri()], tmp_path)
    assert shot.exists() and shot.stat().st_size > 10_000, run.stderr[-2000:]
    dom = chromium(["--dump-dom", page.as_uri()], tmp_path)
    assert "ff-analytics governance report" in dom.stdout and "ktc/players" in dom.stdout
    # plotly drew the charts: its SVG roots and the freshness bars' dataset labels are in the rendered DOM
    assert dom.stdout.count('class="main-svg"') >= 4, dom.stdout[:2000]
    assert "nflverse/weekly" in dom.stdout.split('id="plot-freshness"', 1)[1]
    assert console_errors(run.stderr + dom.stderr) == []
    # the console check itself can fail: a page with a script error is caught
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html><body><script>undefinedFunction();</script></body></html>")
    bad = chromium(["--dump-dom", broken.as_uri()], tmp_path)
    assert any("undefinedFunction" in line for line in console_errors(bad.stderr))
