-- Weighted consensus projections (weights: seed ffanalytics_projection_weights_mapped). Newest snapshot's row
-- per player-week across every vetted snapshot.
-- depends_on: {{ source('ffanalytics', 'projections_consensus') }}
select
    * exclude (player, pos, team, season, week, player_id, dt),
    player as player_name, pos as position, team,
    cast(season as integer) as season, cast(week as integer) as week,
    {{ id_text('player_id') }} as mfl_id,
    {{ name_key('player') }} as name_key,
    dt as snapshot_dt
from {{ snapshot_selection_strategy('raw/ffanalytics/projections_consensus/dt=*/*.parquet', strategy='all') }}
{{ dedupe_newest_snapshot(['player', 'pos', 'team', 'season', 'week', 'horizon']) }}
