"""prefect-dbt's ``PrefectDbtRunner`` without rebuilding Prefect's settings in every per-node task thread.

The runner serializes the Prefect context once per ``invoke`` and hydrates it again in each node's task thread
(twice: once in its thread wrapper, once in the task engine) and for run-level log events. The serialized context
always carries the settings, and hydrating them builds a complete ``prefect.settings.Settings`` — 54 nested
pydantic-settings models reading the environment, ``pyproject.toml`` and the profiles file: tens of milliseconds
of CPU per node that compete with dbt for the interpreter lock. Measured on this project's `dbt build` (163 nodes,
2 cores): 40 s under Prefect with them, 21 s without; dbt alone takes 8 s.

When the settings in force equal the process's global ones, a thread without a settings context resolves exactly
those global settings, so leaving them out of the hydrated context changes nothing but the cost. Everything else
(flow run, task run, tags, assets) is passed on as prefect-dbt built it. Under ``temporary_settings`` that differ
from the global ones the context is passed on untouched.
"""

from __future__ import annotations

from typing import Any

import prefect.context
from prefect.context import SettingsContext
from prefect_dbt import PrefectDbtRunner


def without_global_settings(context: dict[str, Any]) -> dict[str, Any]:
    """The serialized context minus its settings when those equal the process's global settings."""
    current, global_context = SettingsContext.get(), prefect.context.GLOBAL_SETTINGS_CONTEXT
    if not context.get("settings_context") or (current is not global_context
                                               and current.settings != global_context.settings):
        return context
    return {**context, "settings_context": {}}


class NodeTaskDbtRunner(PrefectDbtRunner):
    """``PrefectDbtRunner`` (one Prefect task per dbt node) whose node threads reuse the global settings."""

    def _create_unified_callback(self, task_state: Any, log_level: Any, context: dict[str, Any],
                                 *args: Any, **kwargs: Any) -> Any:
        return super()._create_unified_callback(task_state, log_level, without_global_settings(context),
                                                *args, **kwargs)
