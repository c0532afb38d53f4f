-- Consensus projections (ffanalytics projections_table port): one row per averaging method (avg_type: average,
-- robust, weighted), player and week, with points under the league's scoring. mfl_id is ffanalytics' player id;
-- gsis_id / sleeper_id are the connector's crosswalk mapping. Newest snapshot's row per key across every
-- vetted snapshot.
select
    avg_type, {{ id_text('id') }} as mfl_id, player as player_name, pos as position, team,
    {{ name_key('player') }} as name_key,
    cast(season as integer) as season, cast(week as integer) as week,
    points, sd_pts, floor, ceiling, dropoff, cast(tier as integer) as tier,
    points_vor, floor_vor, ceiling_vor,
    cast(rank as integer) as overall_rank, cast(floor_rank as integer) as floor_rank,
    cast(ceiling_rank as integer) as ceiling_rank, cast(pos_rank as integer) as pos_rank,
    cast(source_count as integer) as source_count, total_weight,
    {{ id_text('player_id') }} as gsis_id, {{ id_text('sleeper_id') }} as sleeper_id,
    source_version,
    dt as snapshot_dt
from {{ snapshot_source('ffanalytics', 'projections_consensus', 'all') }}
{{ dedupe_newest_snapshot(['avg_type', 'coalesce(id, player)', 'pos', 'season', 'week']) }}
