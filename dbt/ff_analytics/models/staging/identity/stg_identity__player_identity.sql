-- Player identity (ff_analytics.identity, run after the sources land and before dbt): one row per source, dataset
-- and source key -> the crosswalk's player_id (null when unresolved), how it matched (method), how sure
-- (confidence), and the candidates it rejected with the reason. Every fact joins players through this table
-- (macro join_player_identity). State dataset: one snapshot.
select
    source, dataset, source_key, source_name, source_position, source_team, position_families,
    coalesce(rostered, false) as is_rostered, cast(row_count as integer) as row_count,
    player_id, player_family, status, method, cast(confidence as double) as confidence,
    candidates, candidate_detail, reason,
    dt as snapshot_dt
from {{ snapshot_source('identity', 'player_identity', 'state') }}
