-- The player id crosswalk: one row per player (player_id = MFL id, the dynastyprocess key), each provider id on
-- at most one player. When upstream repeats a provider id (it happens in db_playerids), the id stays on the
-- row with the newest db_season and most known ids, and is blanked on the others.
{% set provider_ids = ['gsis_id', 'sleeper_id', 'espn_id', 'pfr_id', 'ktc_id', 'fantasypros_id', 'yahoo_id',
                       'sportradar_id', 'nfl_id', 'pff_id'] %}
with ids as (
    select
        *,
        coalesce(mfl_id, 'gsis:' || gsis_id, 'sleeper:' || sleeper_id) as player_key,
        (case when gsis_id is not null then 1 else 0 end) + (case when sleeper_id is not null then 1 else 0 end)
          + (case when espn_id is not null then 1 else 0 end) + (case when pfr_id is not null then 1 else 0 end)
          as known_ids
    from {{ ref('stg_nflverse__ff_playerids') }}
),
one_per_player as (
    select * from ids
    where player_key is not null
    qualify row_number() over (partition by player_key order by db_season desc nulls last, known_ids desc) = 1
),
deduped as (
    select
        player_key as player_id, mfl_id, player_name, merge_name, position, team, birthdate, db_season,
        {% for col in provider_ids %}
        case when {{ col }} is not null and row_number() over (
                partition by {{ col }} order by db_season desc nulls last, known_ids desc, player_key) = 1
             then {{ col }} end as {{ col }}{{ ',' if not loop.last }}
        {% endfor %}
    from one_per_player
),
aliases as (
    select {{ name_key('canonical_name') }} as canonical_key, list(distinct alias_name order by alias_name) as alias_names
    from {{ ref('dim_name_alias') }}
    group by 1
)
select d.*, {{ name_key('d.player_name') }} as name_key, coalesce(a.alias_names, []) as alias_names
from deduped d
left join aliases a on a.canonical_key = {{ name_key('d.player_name') }}
