"""The live display of `ffa demo` / `ffa run`: what it shows for the pipeline's progress events, and that it only
listens while the run lasts."""

from __future__ import annotations

import io
import threading

from rich.console import Console

from ff_analytics import progress
from ff_analytics.orchestration.progress_display import LiveProgress, live_progress


def test_sources_show_their_status_and_dbt_counts_nodes_of_the_total() -> None:
    display = LiveProgress(Console(file=io.StringIO(), force_terminal=True))
    with progress.listening(display):
        progress.source_started("nflverse")
        progress.source_started("sheets")
        progress.source_finished("nflverse", "ok")
        progress.source_finished("sheets", "blocked")
        threads = [threading.Thread(target=progress.dbt_node_finished, args=("build", f"model.p.m{i}", "success", 40))
                   for i in range(40)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    progress.source_started("ktc")  # after the run: nobody listens, nothing is added
    tasks = {t.description: t for t in display.progress.tasks}
    assert set(tasks) == {"nflverse: [green]ok[/green]", "sheets: [red]blocked[/red]", "dbt build"}
    assert all(tasks[d].finished for d in ("nflverse: [green]ok[/green]", "sheets: [red]blocked[/red]"))
    assert (tasks["dbt build"].completed, tasks["dbt build"].total) == (40, 40)


def test_nothing_is_drawn_off_a_terminal() -> None:
    out = io.StringIO()
    with live_progress(Console(file=out, force_terminal=False)):
        progress.source_started("nflverse")
        progress.source_finished("nflverse", "ok")
    assert out.getvalue() == ""


def test_a_terminal_gets_the_display_and_it_is_gone_at_the_end() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=80)
    with live_progress(console):
        progress.source_started("nflverse")
        progress.source_finished("nflverse", "ok")
    assert "nflverse" in out.getvalue()  # drawn while the run lasted
    console.print("summary")
    assert out.getvalue().rstrip().endswith("summary")
