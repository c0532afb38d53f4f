-- Reconciliation: every completed Sleeper trade appears exactly once in fct_league_transactions - under one
-- transaction_id (matched to the sheet's trade, or on its own) - and no Sleeper-only trade repeats a sheet trade
-- of the same season and week (a shared player or pick). Returns one row per violation.
with sleeper_trades as (
    select distinct 'sleeper:' || league_id || ':' || transaction_id as sleeper_transaction_id, season, week
    from {{ ref('stg_sleeper__transactions') }}
    where transaction_type = 'trade' and status = 'complete'
),
in_fact as (
    select sleeper_transaction_id, count(distinct transaction_id) as transaction_ids
    from {{ ref('fct_league_transactions') }}
    where sleeper_transaction_id is not null and transaction_type = 'trade'
    group by all
),
per_transaction as (
    select transaction_id, count(distinct sleeper_transaction_id) as sleeper_trades
    from {{ ref('fct_league_transactions') }}
    where sleeper_transaction_id is not null and transaction_type = 'trade'
    group by all
),
assets as (
    select transaction_id, source_system, season, week,
           coalesce(player_id, player_name, pick_season || ':' || pick_round) as asset
    from {{ ref('fct_league_transactions') }}
    where transaction_type = 'trade' and asset_type in ('player', 'draft_pick')
)
select s.sleeper_transaction_id as offender, 'missing from fct_league_transactions' as problem
from sleeper_trades s left join in_fact f using (sleeper_transaction_id)
where f.sleeper_transaction_id is null
union all
select sleeper_transaction_id, 'under ' || transaction_ids || ' transaction ids'
from in_fact where transaction_ids > 1
union all
select transaction_id, 'groups ' || sleeper_trades || ' Sleeper trades'
from per_transaction where sleeper_trades > 1
union all
select distinct l.transaction_id, 'Sleeper-only trade repeats sheet trade ' || s.transaction_id
from assets l
join assets s on s.source_system = 'sheets' and s.season = l.season and abs(s.week - l.week) <= 1
             and s.asset = l.asset
where l.source_system = 'sleeper'
