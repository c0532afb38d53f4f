-- Projections in long form: one row per player, season, week, provider (a site, or 'consensus') and stat.
-- Players resolve by MFL id through the crosswalk, else by name and position.
with consensus as (
    unpivot (
        select * exclude (source_count, total_weight, provider, asof_date, position_final, horizon)
        from {{ ref('stg_ffanalytics__projections_consensus') }}
    )
    on columns(* exclude (player_name, position, team, season, week, mfl_id, name_key, snapshot_dt))
    into name stat_name value stat_value
),
raw as (
    unpivot (select * exclude (site_name) from {{ ref('stg_ffanalytics__projections_raw') }})
    on columns(* exclude (player_name, position, team, season, week, mfl_id, site_id, name_key, snapshot_dt))
    into name stat_name value stat_value
),
unioned as (
    select 'consensus' as provider, player_name, position, team, season, week, mfl_id, name_key, stat_name,
           cast(stat_value as double) as stat_value, snapshot_dt
    from consensus
    union all
    select site_id, player_name, position, team, season, week, mfl_id, name_key, stat_name,
           cast(stat_value as double), snapshot_dt
    from raw
)
select
    coalesce(x.player_id, {{ resolve_player_id('u.name_key', 'u.position') }}) as player_id,
    u.*
from unioned u
left join {{ ref('dim_player_id_xref') }} x on x.mfl_id = u.mfl_id
