-- Every rostered contract (the sheet's named active contracts) by remaining season, with the dead cap a cut now
-- would leave. Dead-cap rule of the league, as its sheet applies it (checked against every cut contract by the
-- test assert_dead_cap_rule_reproduces_sheet_cuts): 50% of the salary of the cut season and of the next season,
-- 25% of each later season, rounded up to whole cap dollars.
with contracts as (
    select
        c.franchise_id, c.player_name, c.name_key, c.position, c.roster_slot, c.season, c.salary,
        c.contract_total, c.is_rookie, c.is_rfa, c.is_franchise_tag, c.sheet_row,
        {{ resolve_player_id('c.name_key', 'c.position') }} as player_id
    from {{ ref('stg_sheets__contracts_active') }} c
    where c.player_name is not null and c.season >= {{ current_season() }}
)
select
    c.franchise_id, coalesce(c.player_id, 'name:' || c.name_key) as player_key, c.player_id, c.player_name, c.name_key,
    -- Bench and flex rows carry no position on the sheet: the player's own position then.
    coalesce(case when c.position = 'D/ST' then 'DEF' else c.position end,
             (select t.fantasy_position from {{ ref('dim_position_translation') }} t
              where t.nfl_position = p.position order by t.match_priority desc limit 1),
             p.position) as position,
    p.birth_date,
    c.roster_slot, c.season, c.season - {{ current_season() }} as seasons_from_now, c.salary, c.contract_total,
    c.is_rookie, c.is_rfa, c.is_franchise_tag,
    case when c.season - {{ current_season() }} < 2 then 0.5 else 0.25 end as dead_cap_rate,
    cast(ceil(c.salary * case when c.season - {{ current_season() }} < 2 then 0.5 else 0.25 end) as integer)
      as dead_cap_if_cut,
    c.sheet_row
from contracts c
left join {{ ref('dim_player') }} p on p.player_id = c.player_id
