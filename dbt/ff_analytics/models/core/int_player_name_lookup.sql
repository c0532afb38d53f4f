-- Name -> player_id for sources that only carry names (sheets, projections without ids). A name resolves when it
-- is unique within a fantasy position (DB, DL, LB, QB, ...) or unique overall; ambiguous names stay unresolved.
-- A name that is a curated alias of a crosswalk player resolves to that player only: a crosswalk row carrying
-- the alias spelling itself is the same person recorded twice, not a second candidate.
with aliases as (
    select a.alias_key, x.player_id, x.position
    from {{ ref('int_name_alias_keys') }} a
    join {{ ref('dim_player_id_xref') }} x on x.name_key = a.canonical_key
),
names as (
    select player_id, name_key, position from {{ ref('dim_player_id_xref') }}
    where name_key not in (select alias_key from aliases)
    union
    select player_id, alias_key, position from aliases
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
-- roster slot such as TAXI is not evidence of a second player); candidates_total counts every row.
select name_key, fantasy_position,
       min(player_id) as player_id,
       count(distinct player_id) as candidates_in_position,
       max(n_real) as candidates_any_position,
       max(n_total) as candidates_total,
       bool_or(is_real_position) as is_real_position
from (
    select *, count(distinct case when is_real_position then player_id end) over (partition by name_key) as n_real,
              count(distinct player_id) over (partition by name_key) as n_total
    from (select distinct t.*, t.fantasy_position in (select fantasy_position from {{ ref('dim_position_translation') }})
                 as is_real_position
          from translated t)
)
group by all
