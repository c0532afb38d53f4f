-- Projections in long form: one row per provider, player, season, week and measure. Provider 'consensus' is the
-- connector's consensus for the averaging method in var projection_avg_type (default weighted), with its points
-- (league scoring), floor, ceiling and sd_pts as measures - used as delivered, never re-scored here. Each site's
-- own stat projections follow (provider = site id). Players resolve through the identity resolver (the MFL id,
-- else the connector's GSIS/Sleeper ids, else name and position inside the position family).
with consensus as (
    unpivot (
        select avg_type, player_name, position, team, season, week, mfl_id, gsis_id, name_key, snapshot_dt,
               points, floor, ceiling, sd_pts
        from {{ ref('stg_ffanalytics__projections_consensus') }}
        where avg_type = {{ projection_avg_type() }}
    )
    on points, floor, ceiling, sd_pts
    into name stat_name value stat_value
),
raw as (
    unpivot (select * exclude (site_name, site_player_id) from {{ ref('stg_ffanalytics__projections_raw') }})
    on columns(* exclude (player_name, position, team, season, week, mfl_id, site_id, name_key, snapshot_dt))
    into name stat_name value stat_value
),
unioned as (
    select 'consensus' as provider, 'projections_consensus' as identity_dataset, avg_type, player_name, position,
           team, season, week, mfl_id, gsis_id, name_key, stat_name, cast(stat_value as double) as stat_value,
           snapshot_dt
    from consensus
    union all
    select site_id, 'projections_raw', null, player_name, position, team, season, week, mfl_id, null, name_key,
           stat_name, cast(stat_value as double), snapshot_dt
    from raw
)
select i.player_id, u.* exclude (identity_dataset)
from unioned u
left join {{ ref('stg_identity__player_identity') }} i
  on i.source = 'ffanalytics' and i.dataset = u.identity_dataset
 and i.source_key = coalesce(u.mfl_id, u.player_name || '|' || u.position)
