"""The report's charts (plotly, JavaScript inlined once): row counts per snapshot, dbt tests per run, freshness.

Built from the report document only (registry history, ops runs, freshness table), so the JSON and the charts
never disagree. Static plots (no mode bar, no links): nothing on the page reaches the network.

plotly.js is inlined once. Its bundled license banners carry their authors' e-mail addresses, which the
personal-data scan of the run's outputs (``ffa scan-pii``) would report: their ``@`` is written as the JavaScript
escape ``\u0040``, which means the same character in a string or regex literal and is plain text in a comment.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from ff_analytics.security.pii_scan import PATTERNS

EMAIL = re.compile(PATTERNS["email"])
CONFIG = {"displayModeBar": False, "responsive": True}
COLORS = {"error": "#a4161a", "warning": "#e0a800", "ok": "#2e9e5b"}
LAYOUT = dict(height=360, margin=dict(l=60, r=20, t=40, b=60), paper_bgcolor="#ffffff", plot_bgcolor="#fbfbfc",
              font=dict(family="system-ui, sans-serif", size=12))


def row_counts_figure(doc: dict[str, Any]) -> go.Figure | None:
    """One line per dataset: rows of each snapshot over its date (log scale: datasets differ by 1000x)."""
    fig = go.Figure()
    for d in doc["datasets"]:
        points = [h for h in d["history"] if h.get("row_count") is not None]
        if points:
            fig.add_trace(go.Scatter(x=[p["dt"] for p in points], y=[p["row_count"] for p in points],
                                     mode="lines+markers", name=f"{d['source']}/{d['dataset']}",
                                     text=[p["status"] for p in points],
                                     hovertemplate="%{x}: %{y} rows (%{text})<extra>%{fullData.name}</extra>"))
    if not fig.data:
        return None
    days = sorted({date.fromisoformat(h["dt"]) for d in doc["datasets"] for h in d["history"]})
    span = [(days[0] - timedelta(days=3)).isoformat(), (days[-1] + timedelta(days=3)).isoformat()]
    fig.update_layout(title="Row count per snapshot", yaxis_type="log", yaxis_title="rows", **LAYOUT)
    fig.update_xaxes(type="date", tickformat="%Y-%m-%d", range=span)  # whole days, even for one snapshot date
    return fig


def tests_figure(doc: dict[str, Any]) -> go.Figure | None:
    """dbt tests per recorded run, stacked: error, warn (never counted as passed), skip."""
    runs = doc.get("runs") or []
    if not runs:
        return None
    x = [f"{str(r['started_at'])[:16]} {r['run_id'][:8]}" for r in runs]
    fig = go.Figure()
    for key, name, color in (("tests_error", "error", COLORS["error"]), ("tests_warn", "warn", COLORS["warning"]),
                             ("tests_skip", "skip", "#7d8aa3")):
        fig.add_trace(go.Bar(x=x, y=[r.get(key) or 0 for r in runs], name=name, marker_color=color))
    fig.update_layout(title="dbt tests not passed per run", barmode="stack", yaxis_title="tests", **LAYOUT)
    return fig


def freshness_figure(doc: dict[str, Any]) -> go.Figure | None:
    """Age of each dataset's current snapshot in days, coloured against its source's thresholds."""
    names, ages, colors, texts, warns, errors = [], [], [], [], [], []
    for s in doc["sources"]:
        for d in s["datasets"]:
            if d["age_days"] is None:
                continue
            age = d["age_days"]
            level = "error" if age > s["error_after_days"] else "warning" if age > s["warn_after_days"] else "ok"
            names.append(f"{s['source']}/{d['dataset']}")
            ages.append(age)
            colors.append(COLORS[level])
            texts.append(f"{level}: warn after {s['warn_after_days']} d, error after {s['error_after_days']} d")
            warns.append(s["warn_after_days"])
            errors.append(s["error_after_days"])
    if not names:
        return None
    fig = go.Figure([
        go.Bar(x=ages, y=names, orientation="h", marker_color=colors, customdata=texts, name="age",
               text=[f"{a} d" for a in ages], textposition="outside",
               hovertemplate="%{y}: %{x} days old (%{customdata})<extra></extra>"),
        go.Scatter(x=warns, y=names, mode="markers", name="warn after",
                   marker=dict(symbol="line-ns-open", size=14, color=COLORS["warning"], line=dict(width=2))),
        go.Scatter(x=errors, y=names, mode="markers", name="error after",
                   marker=dict(symbol="line-ns-open", size=14, color=COLORS["error"], line=dict(width=2))),
    ])
    layout = {**LAYOUT, "height": max(240, 22 * len(names) + 80), "margin": dict(l=220, r=20, t=40, b=40)}
    fig.update_layout(title="Freshness: age of the current snapshot (days)", xaxis_title="days", **layout)
    fig.update_xaxes(range=[0, max(ages + errors) + 1])
    return fig


@lru_cache(maxsize=1)
def plotly_script() -> str:
    """plotly.js in one inline script (no network), with no e-mail address in the page's text."""
    js = EMAIL.sub(lambda m: m.group(0).replace("@", "\\u0040"), get_plotlyjs())
    return f'<script type="text/javascript">{js}</script>'


def plots_html(doc: dict[str, Any]) -> str:
    """The charts section: plotly's JS once, then each figure as a div (a note where there is no data)."""
    parts = ["<h2>Charts</h2>", plotly_script()]
    for div_id, build, empty in (
            ("plot-row-counts", row_counts_figure, "no row counts recorded"),
            ("plot-tests", tests_figure, "no runs recorded yet: dbt test results appear after the first run"),
            ("plot-freshness", freshness_figure, "no current snapshots")):
        fig = build(doc)
        if fig is None:
            parts.append(f'<p class="muted" id="{div_id}">{empty}</p>')
            continue
        parts.append('<div class="plot">' + pio.to_html(fig, full_html=False, include_plotlyjs=False,
                                                        config=CONFIG, div_id=div_id) + "</div>")
    return "\n".join(parts)
