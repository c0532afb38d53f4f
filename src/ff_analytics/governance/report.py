"""One self-contained HTML page (plus the same facts as JSON) on the health of every dataset.

Per dataset: the current snapshot, its age against the source's thresholds, the row history over snapshots as a
small inline SVG chart, gaps, player-id mapping rates, schema drift, row-count anomalies and the findings kept from
earlier runs (source checks, dbt tests); each card is coloured by its worst finding. On top: what changed since
the last run (from the ops history in the warehouse, or the events the run passes in) and plotly charts of row
counts per snapshot, dbt test results over runs and freshness per dataset. plotly's JavaScript is inlined (no
CDN, no network): the file renders the same offline and as a CI artifact; without JavaScript the cards still show.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ff_analytics.errors import FFAError
from ff_analytics.governance.anomalies import check_row_count_anomaly
from ff_analytics.governance.coverage import analyze_coverage
from ff_analytics.governance.drift import check_schema_drift
from ff_analytics.governance.findings import Finding, dumps, envelope, sort_findings, warning
from ff_analytics.governance.findings_store import active_findings
from ff_analytics.governance.freshness import check_freshness, freshness_table
from ff_analytics.governance.ops_store import History, SnapshotEvent, changed, default_warehouse, read_history
from ff_analytics.governance.report_plots import plots_html
from ff_analytics.governance.validate import validate
from ff_analytics.snapshots.store import SnapshotStore


def build_report(store: SnapshotStore | None = None, as_of: date | None = None,
                 sources: Iterable[str] | None = None, xref_path: str | Path | None = None, *,
                 warehouse_path: str | Path | None = None,
                 changes: Iterable[SnapshotEvent] | None = None) -> dict[str, Any]:
    """Run every read-only check and gather the results per dataset (the report's JSON document).

    ``warehouse_path``: the DuckDB file holding the ops history (default: the root's warehouse). ``changes``:
    this run's snapshot events, when the report is written before the run is recorded; otherwise the last
    recorded run's events are "what changed".
    """
    store = store or SnapshotStore()
    as_of = as_of or datetime.now(UTC).date()
    sources = list(sources) if sources else None
    fresh = {s.source: s for s in freshness_table(store, sources, as_of)}
    coverage = analyze_coverage(store, sources, as_of, xref_path)
    findings: list[Finding] = validate(store, sources, as_of=as_of) + check_freshness(store, sources, as_of)
    seen = {f.model_dump_json() for f in findings}
    findings += [f for f in coverage.findings if f.model_dump_json() not in seen]
    seen = {f.model_dump_json() for f in findings}
    findings += [f for f in active_findings(store.root) if f.model_dump_json() not in seen
                 and (sources is None or f.source in sources or f.source in (None, "dbt"))]
    try:
        history = read_history(warehouse_path or default_warehouse(store.root))
    except FFAError as exc:  # a locked or damaged warehouse must not cost the report
        history = History()
        findings.append(warning("report", "ops_history_unavailable", f"run history not shown: {exc.detail}"))
    datasets = []
    for c in coverage.datasets:
        drift = check_schema_drift(store, c.source, c.dataset, c.current_dt) if c.current_dt else []
        for pending in (h.dt for h in c.history if h.status == "pending"):  # what the gate will say about them
            drift += check_schema_drift(store, c.source, c.dataset, pending)
            findings += check_row_count_anomaly(store, c.source, c.dataset, pending)
        findings += drift
        src = fresh.get(c.source)
        age = next((d.age_days for d in src.datasets if d.dataset == c.dataset), None) if src else None
        mine = [f for f in findings if (f.source, f.dataset) == (c.source, c.dataset)]
        datasets.append({
            **c.as_dict(),
            "age_days": age,
            "warn_after_days": src.warn_after_days if src else None,
            "error_after_days": src.error_after_days if src else None,
            "drift": [f.message for f in drift],
            "anomalies": [f.message for f in mine if f.check == "anomaly"],
            "findings": [f.model_dump(mode="json") for f in sort_findings(mine)],
        })
    events = list(changes) if changes is not None else history.last_events
    last = history.last_run
    what_changed = {
        "since": None if changes is not None or last is None else {"run_id": last["run_id"],
                                                                   "started_at": str(last["started_at"])},
        "known": changes is not None or last is not None,
        "changed": [e.as_dict() for e in changed(events)],
        "unchanged": sum(1 for e in events if e.event == "unchanged"),
    }
    return envelope("report", findings, as_of=as_of, root=store.root.url,
                    sources=[s.as_dict() for s in fresh.values()], datasets=datasets, what_changed=what_changed,
                    runs=[{k: (str(v) if isinstance(v, datetime) else v) for k, v in r.items()}
                          for r in history.runs])


def write_report(out_dir: str | Path, store: SnapshotStore | None = None, as_of: date | None = None,
                 sources: Iterable[str] | None = None, xref_path: str | Path | None = None, *,
                 warehouse_path: str | Path | None = None,
                 changes: Iterable[SnapshotEvent] | None = None) -> tuple[Path, Path]:
    """Write ``governance_report.html`` and ``governance_report.json``; returns their paths."""
    doc = build_report(store, as_of, sources, xref_path, warehouse_path=warehouse_path, changes=changes)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html_path, json_path = out / "governance_report.html", out / "governance_report.json"
    json_path.write_text(dumps(doc), encoding="utf-8")
    html_path.write_text(render_html(doc), encoding="utf-8")
    return html_path, json_path


# -- rendering ---------------------------------------------------------------------------------------------------
CSS = """
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1d2433;background:#f6f7f9}
h1{font-size:22px;margin:0 0 4px} h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #d8dce3}
.meta{color:#5b6475;margin-bottom:16px}
.pill{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;margin-right:6px}
.error{background:#fde2e1;color:#a4161a} .warning{background:#fff1c2;color:#7a5200}
.info{background:#e3edfb;color:#1f4e8c} .ok{background:#dcf3e3;color:#1b6b3a}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(430px,1fr));gap:14px}
.card{background:#fff;border:1px solid #d8dce3;border-radius:8px;padding:12px 14px;border-left-width:6px}
.card.sev-error{border-left-color:#a4161a;background:#fff7f7} .card.sev-warning{border-left-color:#e0a800}
.card.sev-ok{border-left-color:#2e9e5b} .plot{background:#fff;border:1px solid #d8dce3;border-radius:8px;margin:8px 0}
.card h3{margin:0 0 6px;font-size:15px} table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:3px 6px;border-bottom:1px solid #eef0f3;vertical-align:top;font-size:13px}
th{color:#5b6475;font-weight:600;width:34%} ul{margin:4px 0 0 18px;padding:0} li{margin:2px 0}
.findings li{font-size:13px} svg{display:block;margin:6px 0} .muted{color:#8a93a3}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def history_svg(history: list[dict[str, Any]], width: int = 400, height: int = 90) -> str:
    """Row count per snapshot as inline SVG bars (current green, pending amber), with a tooltip per bar."""
    points = [h for h in history if h.get("row_count") is not None]
    if not points:
        return '<p class="muted">no row counts recorded</p>'
    top = max(p["row_count"] for p in points) or 1
    pad, base = 4, height - 16
    bar_w = min(36.0, max(2.0, (width - 2 * pad) / len(points) - 2))
    colors = {"current": "#2e9e5b", "pending": "#e0a800", "historical": "#7d8aa3", "archived": "#c3c9d4"}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="row count history">',
             f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="#d8dce3"/>']
    for i, p in enumerate(points):
        h = max(1.0, (base - pad) * p["row_count"] / top)
        x = pad + i * (bar_w + 2)
        parts.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                     f'fill="{colors.get(p["status"], "#7d8aa3")}"><title>{_e(p["dt"])}: {p["row_count"]} rows '
                     f'({_e(p["status"])})</title></rect>')
    parts.append(f'<text x="0" y="{height - 3}" font-size="10" fill="#5b6475">{_e(points[0]["dt"])}</text>')
    parts.append(f'<text x="{width}" y="{height - 3}" font-size="10" fill="#5b6475" text-anchor="end">'
                 f'{_e(points[-1]["dt"])} · max {top}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _age_cell(d: dict[str, Any]) -> str:
    if d.get("age_days") is None:
        return '<span class="pill error">no current snapshot</span>'
    age, warn, err = d["age_days"], d.get("warn_after_days"), d.get("error_after_days")
    cls = "error" if err is not None and age > err else "warning" if warn is not None and age > warn else "ok"
    return f'<span class="pill {cls}">{age} d</span> <span class="muted">warn &gt; {warn} d, error &gt; {err} d</span>'


def _mapping_cell(mapping: list[dict[str, Any]]) -> str:
    if not mapping:
        return '<span class="muted">n/a</span>'
    rows = sum(m["rows"] for m in mapping)
    mapped = sum(m["mapped"] for m in mapping)
    worst = min(mapping, key=lambda m: m["rate"])
    text = f"{mapped}/{rows} = {mapped / rows:.1%} via {_e(mapping[0]['column'])}&rarr;{_e(mapping[0]['xref_column'])}"
    if worst.get("week") is not None:
        text += f'<br><span class="muted">lowest {worst["rate"]:.1%} in {worst["season"]} week {worst["week"]}</span>'
    return text


def _list(items: list[str]) -> str:
    none = '<span class="muted">none</span>'
    return "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>" if items else none


def _dataset_card(d: dict[str, Any]) -> str:
    worst = next((f["severity"] for f in d["findings"] if f["severity"] in ("error", "warning")), "ok")
    delta = ""
    if d.get("delta_rows") is not None:
        pct = f" ({d['delta_pct']:+.1f}%)" if d.get("delta_pct") is not None else ""
        delta = f"{d['delta_rows']:+d}{pct} vs {_e(d['previous_dt'])}"
    seasons = f"{d['min_season']}–{d['max_season']}" if d.get("min_season") is not None else "n/a"
    findings = "".join(f'<li><span class="pill {f["severity"]}">{f["severity"]}</span>{_e(f["message"])}</li>'
                       for f in d["findings"] if f["severity"] != "info")
    return f"""<div class="card sev-{worst}" id="{_e(d['source'])}-{_e(d['dataset'])}">
<h3>{_e(d['source'])}/{_e(d['dataset'])} <span class="pill {worst}">{worst}</span></h3>
<table>
<tr><th>current snapshot</th><td>{_e(d.get('current_dt') or '—')}</td></tr>
<tr><th>age</th><td>{_age_cell(d)}</td></tr>
<tr><th>rows</th><td>{_e(d.get('current_rows'))} {delta}</td></tr>
<tr><th>seasons</th><td>{seasons}</td></tr>
<tr><th>gaps</th><td>{_list(d['gaps'])}</td></tr>
<tr><th>player ids mapped</th><td>{_mapping_cell(d['mapping'])}</td></tr>
<tr><th>schema drift</th><td>{_list(d['drift'])}</td></tr>
<tr><th>row-count anomalies</th><td>{_list(d['anomalies'])}</td></tr>
</table>
{history_svg(d['history'])}
{f'<ul class="findings">{findings}</ul>' if findings else ''}
</div>"""


def _changes_html(what: dict[str, Any] | None) -> str:
    """"What changed since the last run": the changed snapshots by name, or "nothing changed"."""
    if not what or not what.get("known"):
        return ('<h2>What changed since the last run</h2><p class="muted" id="what-changed">no run recorded yet '
                '(the ops history starts with the first run)</p>')
    since = what.get("since")
    head = f' <span class="muted">(run {_e(since["run_id"])}, {_e(since["started_at"])})</span>' if since else ""
    if not what["changed"]:
        return (f'<h2>What changed since the last run{head}</h2><p id="what-changed">nothing changed '
                f'<span class="muted">({what.get("unchanged", 0)} snapshots unchanged)</span></p>')
    items = "".join(f'<li><b>{_e(e["source"])}/{_e(e["dataset"])} {_e(e["dt"])}</b>: {_e(e["event"])}'
                    f'{" (" + _e(e["detail"]) + ")" if e.get("detail") else ""}</li>' for e in what["changed"])
    return f'<h2>What changed since the last run{head}</h2><ul id="what-changed">{items}</ul>'


def render_html(doc: dict[str, Any]) -> str:
    s = doc["summary"]
    by_source: dict[str, list[dict[str, Any]]] = {}
    for d in doc["datasets"]:
        by_source.setdefault(d["source"], []).append(d)
    sections = []
    for src in doc["sources"]:
        cards = "".join(_dataset_card(d) for d in by_source.get(src["source"], []))
        status = src["status"]
        age = f"newest current {src['newest_dt']} ({src['age_days']} d)" if src["newest_dt"] else "never loaded"
        sections.append(f'<h2>{_e(src["source"])} <span class="pill {status if status != "ok" else "ok"}">'
                        f'{_e(status)}</span> <span class="muted">{_e(age)}</span></h2>'
                        f'<div class="grid">{cards or "<p class=muted>no snapshots</p>"}</div>')
    general = [f for f in doc["findings"] if f["dataset"] is None and f["severity"] != "info"]
    dbt = [f for f in doc["findings"] if f["source"] == "dbt"]
    dbt_html = "".join(f'<li><span class="pill {f["severity"]}">{f["severity"]}</span>{_e(f["message"])}</li>'
                       for f in dbt)
    general_html = "".join(f'<li><span class="pill {f["severity"]}">{f["severity"]}</span>{_e(f["source"] or "")} '
                           f'{_e(f["message"])} <span class="muted">{_e(f["path"] or "")}</span></li>'
                           for f in general)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>ff-analytics governance report {_e(doc['as_of'])}</title>
<style>{CSS}</style></head>
<body>
<h1>ff-analytics governance report</h1>
<div class="meta">as of {_e(doc['as_of'])} · data root {_e(doc['root'])} · generated {_e(doc['generated_at'])}
· schema v{doc['schema_version']}</div>
<div><span class="pill {'ok' if s['ok'] else 'error'}">{'OK' if s['ok'] else 'NOT OK'}</span>
<span class="pill error">{s['errors']} errors</span><span class="pill warning">{s['warnings']} warnings</span>
<span class="pill info">{s['info']} info</span></div>
{_changes_html(doc.get("what_changed"))}
{f'<h2>General</h2><ul class="findings">{general_html}</ul>' if general_html else ''}
{f'<h2>dbt tests</h2><ul class="findings">{dbt_html}</ul>' if dbt_html else ''}
{plots_html(doc)}
{''.join(sections)}
</body></html>
"""
