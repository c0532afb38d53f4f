"""A child process that runs snapshot-store operations read from stdin, one JSON line each, for the property test.

It answers ``ok``, ``refused <error>`` (an FFAError: a clear refusal is an allowed outcome) or ``crash <trace>``
(anything else: a bug). The parent SIGKILLs it at random moments and starts a new one.
"""

from __future__ import annotations

import json
import sys
import traceback
from datetime import date

import polars as pl

from ff_analytics.errors import FFAError
from ff_analytics.governance.retention import Rule, apply_deletions, plan_retention
from ff_analytics.governance.sync import sync_roots
from ff_analytics.snapshots.lifecycle import archive_snapshots
from ff_analytics.snapshots.store import SnapshotStore
from ff_analytics.storage import DataRoot

DAYS = ["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04", "2025-01-05"]
TODAY = date(2026, 1, 1)
DELETE_OLD = [Rule(0, "Delete", None, 0, None, ("raw/",), ())]


def run(op: dict, local: DataRoot, remote: DataRoot) -> None:
    store = SnapshotStore(root=local)
    kind, dataset, day = op["op"], op["dataset"], DAYS[op["day"]]
    if kind == "write":
        n = 1 + op["seed"]
        frame = pl.DataFrame({"player": [f"p{i}" for i in range(n)], "value": list(range(op["seed"], op["seed"] + n))})
        store.write("ktc", dataset, frame, dt=day)
    elif kind == "promote":
        store.registry.promote("ktc", dataset)
    elif kind == "promote_dt":
        store.registry.promote("ktc", dataset, day, allow_older=True)
    elif kind == "rollback":
        store.registry.rollback("ktc", dataset)
    elif kind == "archive":
        archive_snapshots(store, op["seed"], TODAY, delete=op["seed"] % 2 == 0)
    elif kind == "retention":
        actions, _ = plan_retention(store, DELETE_OLD, as_of=TODAY)
        apply_deletions(store, actions)
    elif kind == "sync_to":
        sync_roots(local, remote)
    elif kind == "sync_from":
        sync_roots(remote, local)
    else:
        raise ValueError(f"unknown op {kind}")


def main() -> None:
    local, remote = DataRoot(sys.argv[1]), DataRoot(sys.argv[2])
    print("ready", flush=True)
    for line in sys.stdin:
        try:
            run(json.loads(line), local, remote)
            answer = "ok"
        except FFAError as exc:
            answer = "refused " + str(exc).replace("\n", " ")
        except Exception:  # noqa: BLE001 - reported to the parent, which fails the test
            answer = "crash " + traceback.format_exc().replace("\n", " | ")
        print(answer, flush=True)


if __name__ == "__main__":
    main()
