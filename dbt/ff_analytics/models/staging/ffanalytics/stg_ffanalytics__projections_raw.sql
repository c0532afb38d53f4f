-- Per-site projections (stat columns vary by site and position). Each weekly load projects the coming week, so
-- every vetted snapshot is read and the newest snapshot's row per player-site-week is kept.
select
    * exclude (player, pos, team, season, week, id, src_id, data_src, data_src_lower, dt),
    player as player_name, pos as position, team,
    cast(season as integer) as season, cast(week as integer) as week,
    {{ id_text('id') }} as mfl_id, {{ id_text('src_id') }} as site_player_id,
    data_src as site_name, lower(coalesce(data_src_lower, data_src)) as site_id,
    {{ name_key('player') }} as name_key,
    dt as snapshot_dt
from {{ snapshot_source('ffanalytics', 'projections_raw', 'all') }}
{{ dedupe_newest_snapshot(['id', 'player', 'pos', 'season', 'week', 'data_src_lower']) }}
