"""Orchestration overhead: `ffa demo` with Prefect vs the same steps called directly, measured in the same run.

Both modes run the full demo (replay servers, every source, dbt build + source freshness, governance report) on
their own fresh data root, twice (first run writes new snapshots, second finds them unchanged), interleaved so
both see the same machine load. The one-time Prefect server start (ephemeral server, first flow) and dbt's imports
are measured and reported separately, not counted. Target: Prefect total <= 1.15 x direct total.

    uv run python bench/bench_orchestration.py [--rounds 1]
"""

from __future__ import annotations

import argparse
import os
import shutil
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


def _timed_demo(root: Path, use_prefect: bool) -> tuple[float, object]:
    from ff_analytics.orchestration.demo import run_demo

    _use_root(root)
    started = time.perf_counter()
    summary = run_demo(use_prefect=use_prefect)
    return time.perf_counter() - started, summary


def _check(summary, label: str, second: bool) -> None:
    problems = [f for f in summary.failures()]
    if second and not all(s.all_unchanged for s in summary.sources):
        problems.append("second run was not all-unchanged: " + ", ".join(f"{s.source}={s.write_label}"
                                                                          for s in summary.sources))
    if problems:
        print(f"  note ({label}): " + " | ".join(problems)[:400])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=1, help="demo pairs (first + second run) per mode")
    args = parser.parse_args()

    from ff_analytics.orchestration.env import ensure_demo_prefect_env, ensure_prefect_env

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

    totals = {"direct": 0.0, "prefect": 0.0}
    try:
        for r in range(args.rounds):
            order = ("direct", "prefect") if r % 2 == 0 else ("prefect", "direct")
            roots = {mode: work / f"{mode}-{r}" for mode in order}
            for run in ("first", "second"):
                for mode in order:
                    seconds, summary = _timed_demo(roots[mode], use_prefect=mode == "prefect")
                    totals[mode] += seconds
                    print(f"round {r + 1} {run:6} run {mode:7}: {seconds:6.1f}s  ok={summary.ok}")
                    _check(summary, f"{mode} {run}", run == "second")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ratio = totals["prefect"] / totals["direct"]
    print(f"direct total {totals['direct']:.1f}s, prefect total {totals['prefect']:.1f}s, "
          f"ratio {ratio:.3f} (overhead {100 * (ratio - 1):+.1f}%, target <= {100 * (TARGET - 1):.0f}%)")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
