-- Player stats in long form: one row per player, season, week, stat source and stat (non-zero values only; a
-- missing stat is 0). Sources: nflverse weekly stats, snap counts and ffopportunity expected points. Players
-- resolve through the identity resolver (GSIS ids for weekly and opportunity, PFR ids for snaps). A new
-- non-numeric upstream column makes the cast fail loudly.
with weekly as (
    unpivot (
        select * exclude (player_name, player_display_name, position, position_group, headshot_url, team,
                          opponent_team, fg_made_list, fg_missed_list, fg_blocked_list, snapshot_dt)
        from {{ ref('stg_nflverse__weekly') }}
    )
    on columns(* exclude (gsis_id, season, week, season_type))
    into name stat_name value stat_value
),
snaps as (
    unpivot (
        select s.pfr_player_id, s.season, s.week, s.game_type as season_type,
               s.offense_snaps, s.offense_pct, s.defense_snaps, s.defense_pct, s.st_snaps, s.st_pct
        from {{ ref('stg_nflverse__snap_counts') }} s
    )
    on offense_snaps, offense_pct, defense_snaps, defense_pct, st_snaps, st_pct
    into name stat_name value stat_value
),
opportunity as (
    unpivot (
        select * exclude (game_id, full_name, position, team, snapshot_dt)
        from {{ ref('stg_nflverse__ff_opportunity') }}
    )
    on columns(* exclude (gsis_id, season, week))
    into name stat_name value stat_value
),
unioned as (
    select 'nflverse_weekly' as stat_source, 'weekly' as identity_dataset, gsis_id as source_player_id, season,
           week, season_type, stat_name, cast(stat_value as double) as stat_value
    from weekly
    union all
    select 'snap_counts', 'snap_counts', pfr_player_id, season, week, season_type, stat_name,
           cast(stat_value as double)
    from snaps
    union all
    select 'ff_opportunity', 'ff_opportunity', gsis_id, season, week, null, stat_name, cast(stat_value as double)
    from opportunity
)
select i.player_id,
       case when u.stat_source = 'snap_counts' then x.gsis_id else u.source_player_id end as gsis_id,
       u.* exclude (identity_dataset)
from unioned u
left join {{ ref('stg_identity__player_identity') }} i
  on i.source = 'nflverse' and i.dataset = u.identity_dataset and i.source_key = u.source_player_id
left join {{ ref('dim_player_id_xref') }} x on x.player_id = i.player_id
where u.stat_value <> 0
