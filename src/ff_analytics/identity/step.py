"""The pipeline step: read every source's current players, resolve them, write ``identity/player_identity``.

Runs after the sources land and before dbt. The store hashes the table's bytes, so unchanged inputs give the same
hash and no new snapshot (status ``unchanged``). Nothing is written when the overrides are invalid or the crosswalk
is missing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ff_analytics.errors import SnapshotError
from ff_analytics.identity.crosswalk import build_crosswalk
from ff_analytics.identity.quality import DATASET, SOURCE, match_rates, method_counts
from ff_analytics.identity.resolver import FUZZY_THRESHOLD, resolve
from ff_analytics.identity.rules import ALIAS_FILE, OVERRIDE_FILE, load_aliases, load_overrides
from ff_analytics.identity.sources import collect_rows, store_reader
from ff_analytics.settings import get_settings
from ff_analytics.snapshots.store import SnapshotStore, WriteResult


def resolve_player_identity(store: SnapshotStore, *, dt: str | date | None = None, run_id: str | None = None,
                            config_dir: Path | None = None) -> WriteResult:
    """Resolve every player-bearing dataset's current snapshot and write the ``player_identity`` snapshot."""
    config_dir = config_dir or get_settings().config_dir
    read = store_reader(store)
    playerids = read("nflverse", "ff_playerids")
    if playerids is None:
        raise SnapshotError("no crosswalk snapshot (nflverse/ff_playerids): load nflverse first",
                            source=SOURCE, dataset=DATASET)
    xwalk = build_crosswalk(playerids, read("nflverse", "teams"))
    aliases = load_aliases(config_dir / ALIAS_FILE)
    overrides = load_overrides(config_dir / OVERRIDE_FILE, xwalk.player_ids)
    rows, missing = collect_rows(read)
    identity = resolve(rows, xwalk, aliases, overrides)
    params = {
        "match_rates": match_rates(identity),
        "methods": method_counts(identity),
        "crosswalk_players": xwalk.players.height,
        "fuzzy_threshold": FUZZY_THRESHOLD,
        "missing_inputs": missing,
    }
    return store.write(SOURCE, DATASET, identity, dt=dt, params=params, run_id=run_id,
                       loader="ff_analytics.identity")
