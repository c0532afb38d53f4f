"""Orchestration overhead: `ffa demo` with Prefect vs the same steps called directly, measured in the same run.

Both modes run the full demo (replay servers, every source, dbt build + source freshness, governance report) on
their own fresh data root, twice (first run writes new snapshots, second finds them unchanged), interleaved so
both see the same machine load. The one-time Prefect server start (ephemeral server, first flow) and dbt's imports
are measured and reported separately, not counted. Target: Prefect (the default mode, one task per dbt
invocation) total <= 1.15 x direct total. ``--per-node`` also runs the opt-in mode (one Prefect task per dbt
node, ``FFA_DBT_PER_NODE_TASKS=true``) and reports its ratio, without a target.

    uv run python bench/bench_orchestration.py [--rounds 1] [--per-node] [--floor-tasks 172] [--quick]

``--quick``: one KTC-only demo per mode without dbt, no target check (CI runs it so the bench cannot rot).

``--floor-tasks N`` also times N no-op Prefect tasks in one flow on the same server (N = the nodes the demo's
`dbt build` turns into tasks, 172): what one task per dbt node costs before any dbt work, in wall time and in CPU of
this process and of the server process, to compare with the 15% budget.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.15


def _use_root(root: Path) -> None:
    from ff_analytics.platform_config import platform_config
    from ff_analytics.settings import get_settings

    os.environ["FFA_DATA_ROOT"] = str(root / "data")
    get_settings.cache_clear()
    platform_config.cache_clear()


def _timed_demo(root: Path, mode: str, quick: bool) -> tuple[float, object]:
    from ff_analytics.orchestration.demo import run_demo

    _use_root(root)
    os.environ["FFA_DBT_PER_NODE_TASKS"] = "true" if mode == "per-node" else "false"
    started = time.perf_counter()
    summary = run_demo(use_prefect=mode != "direct", sources=["ktc"] if quick else None, run_dbt=not quick)
    return time.perf_counter() - started, summary


def _check(summary, label: str, second: bool) -> None:
    problems = [f for f in summary.failures()]
    if second and not all(s.all_unchanged for s in summary.sources):
        problems.append("second run was not all-unchanged: " + ", ".join(f"{s.source}={s.write_label}"
                                                                          for s in summary.sources))
    if problems:
        print(f"  note ({label}): " + " | ".join(problems)[:400])


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's direct children (the ephemeral Prefect server), from /proc."""
    total, me, tick = 0.0, os.getpid(), os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _server_cpu_after(start: float) -> float:
    """The server's CPU since ``start``, once it has finished recording what it was sent (its CPU stops rising)."""
    before, now = -1.0, _children_cpu()
    while now - before > 0.02:
        time.sleep(0.5)
        before, now = now, _children_cpu()
    return now - start


def task_floor(n: int, repeats: int = 3) -> None:
    """Median over ``repeats`` of a flow running ``n`` no-op tasks one after another, against a flow making ``n``
    plain calls."""
    from prefect import flow, task

    def node(i: int) -> int:
        return i

    node_task = task(node, name="node", persist_result=False)

    @flow(name="bench-floor-tasks", persist_result=False)
    def with_tasks() -> int:
        return sum(node_task(i) for i in range(n))

    @flow(name="bench-floor-calls", persist_result=False)
    def with_calls() -> int:
        return sum(node(i) for i in range(n))

    for label, fn in (("plain calls", with_calls), ("no-op tasks", with_tasks)):
        walls, clients, servers = [], [], []
        for _ in range(repeats):
            server_start, client_start, started = _children_cpu(), time.process_time(), time.perf_counter()
            fn()
            walls.append(time.perf_counter() - started)
            clients.append(time.process_time() - client_start)
            servers.append(_server_cpu_after(server_start))
        wall, client, server = (statistics.median(v) for v in (walls, clients, servers))
        print(f"floor: flow with {n} {label:11}: wall {wall:5.2f}s ({wall / n * 1000:5.1f} ms each), CPU here "
              f"{client:5.2f}s, CPU in the server {server:5.2f}s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=1, help="demo pairs (first + second run) per mode")
    parser.add_argument("--floor-tasks", type=int, default=0, help="also time this many no-op Prefect tasks")
    parser.add_argument("--per-node", action="store_true", help="also run the one-task-per-dbt-node mode")
    parser.add_argument("--quick", action="store_true", help="one small KTC-only run per mode, no target check")
    args = parser.parse_args()
    if args.quick:
        args.rounds = 1

    from ff_analytics.orchestration.env import ensure_demo_prefect_env, ensure_prefect_env, in_process_settings

    work = Path(tempfile.mkdtemp(prefix="ffa-bench-orch-"))
    ensure_prefect_env(work / "prefect-home")  # fresh PREFECT_HOME unless the caller set one
    ensure_demo_prefect_env()  # the Prefect server `ffa demo` starts
    os.environ.setdefault("FFA_REPORT_DIR", str(work / "reports"))
    from prefect import flow

    @flow(name="bench-warmup", persist_result=False)
    def warmup() -> int:
        return 1

    started = time.perf_counter()
    warmup()
    server_start = time.perf_counter() - started
    print(f"one-time Prefect server start (ephemeral, first flow): {server_start:.1f}s (not counted)")
    started = time.perf_counter()
    import dbt.adapters.duckdb  # noqa: F401 - both modes run dbt; the first run of a process must not pay the imports
    import dbt.cli.main  # noqa: F401
    import prefect_dbt  # noqa: F401
    print(f"one-time dbt imports: {time.perf_counter() - started:.1f}s (not counted)")

    modes = ["direct", "prefect", *(["per-node"] if args.per_node else [])]
    totals = dict.fromkeys(modes, 0.0)
    try:
        for r in range(args.rounds):
            order = modes if r % 2 == 0 else modes[::-1]
            roots = {mode: work / f"{mode}-{r}" for mode in order}
            for run in ("first",) if args.quick else ("first", "second"):
                for mode in order:
                    seconds, summary = _timed_demo(roots[mode], mode, args.quick)
                    totals[mode] += seconds
                    print(f"round {r + 1} {run:6} run {mode:8}: {seconds:6.1f}s  ok={summary.ok}")
                    _check(summary, f"{mode} {run}", run == "second")
        if args.floor_tasks:
            with in_process_settings():  # as the demo runs its flows
                task_floor(args.floor_tasks)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if not args.rounds:
        return 0
    ratio = totals["prefect"] / totals["direct"]
    print(f"direct total {totals['direct']:.1f}s, prefect total {totals['prefect']:.1f}s, "
          f"ratio {ratio:.3f} (overhead {100 * (ratio - 1):+.1f}%, target <= {100 * (TARGET - 1):.0f}%)")
    if "per-node" in totals:
        print(f"per-node mode total {totals['per-node']:.1f}s, ratio {totals['per-node'] / totals['direct']:.3f} "
              "(opt-in, no target)")
    if args.quick:
        return 0
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
