-- The dead-cap rule of int_contract_seasons (50% of the cut season's and the next season's salary, 25% after,
-- rounded up) reproduces the dead cap the sheet charges for contracts cut this season: the contract's split comes
-- from the Cut row of the transaction log; its last seasons are the ones the cut rows carry. Returns mismatches.
with cuts as (
    select franchise_id, name_key, list(season order by season) as seasons, list(dead_cap order by season) as dead
    from {{ ref('stg_sheets__contracts_cut') }}
    where player_name is not null
    group by all
),
cut_rows as (
    select to_franchise_id, from_franchise_id, name_key, split, season
    from {{ ref('stg_sheets__transactions') }}
    where transaction_type = 'Cut' and season = {{ current_season() }} and split is not null
    qualify row_number() over (partition by from_franchise_id, name_key order by sort_order desc) = 1
),
paired as (
    select c.franchise_id, c.name_key, c.seasons, c.dead, t.split, len(c.seasons) as n
    from cuts c join cut_rows t on t.from_franchise_id = c.franchise_id and t.name_key = c.name_key
    where len(t.split) >= len(c.seasons) and c.seasons[1] = {{ current_season() }}
),
per_season as (
    select franchise_id, name_key, k,
           dead[k + 1] as sheet_dead_cap,
           split[len(split) - n + k + 1] as salary,
           cast(ceil(split[len(split) - n + k + 1] * case when k < 2 then 0.5 else 0.25 end) as integer) as rule_dead_cap
    from paired, range(0, n) as r(k)
)
select * from per_season where sheet_dead_cap <> rule_dead_cap
