-- Name -> player_id for sources that only carry names (sheets, KTC, projections). A name resolves when it is
-- unique within a fantasy position (DB, DL, LB, QB, ...) or unique overall; ambiguous names stay unresolved.
with names as (
    select player_id, name_key, position from {{ ref('dim_player_id_xref') }}
    union
    select x.player_id, {{ name_key('a.alias_name') }} as name_key, x.position
    from {{ ref('dim_name_alias') }} a
    join {{ ref('dim_player_id_xref') }} x on x.name_key = {{ name_key('a.canonical_name') }}
),
translated as (
    select n.player_id, n.name_key,
           coalesce(t.fantasy_position, case n.position when 'SAF' then 'DB' when 'ED' then 'DL' when 'EDGE' then 'DL'
                                                         when 'PK' then 'K' else n.position end) as fantasy_position
    from names n
    left join {{ ref('dim_position_translation') }} t on t.nfl_position = n.position
    where n.name_key <> ''
)
-- candidates_any_position counts only rows with a real fantasy position (a crosswalk row whose position is a
-- roster slot such as TAXI is not evidence of a second player).
select name_key, fantasy_position,
       min(player_id) as player_id,
       count(distinct player_id) as candidates_in_position,
       max(n_real) as candidates_any_position,
       bool_or(is_real_position) as is_real_position
from (
    select *, count(distinct case when is_real_position then player_id end) over (partition by name_key) as n_real
    from (select distinct t.*, t.fantasy_position in (select fantasy_position from {{ ref('dim_position_translation') }})
                 as is_real_position
          from translated t)
)
group by all
