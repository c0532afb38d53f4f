-- Sleeper waiver claims, one row per claim (transaction), won and lost: a failed claim moved nothing, so it is
-- kept out of the transaction facts and exposed here, with the bid, the claim order (waiver_seq, and
-- waiver_priority when the league breaks ties by priority) and Sleeper's reason (failure_reason, e.g. "This
-- player was claimed by another owner."). The claimed player is the add; the player the claim would have
-- dropped, if any, is the drop. Franchises come from dim_franchise by Sleeper roster id.
with claims as (
    select
        league_id, season, week, transaction_id, status, is_completed, created_at, status_updated_at, creator,
        waiver_bid, waiver_seq, waiver_priority, notes,
        max(case when action = 'add' then roster_id end) as roster_id,
        max(case when action = 'add' then sleeper_player_id end) as claimed_sleeper_player_id,
        max(case when action = 'drop' then sleeper_player_id end) as dropped_sleeper_player_id
    from {{ ref('stg_sleeper__transactions') }}
    where transaction_type = 'waiver'
    group by all
)
select
    'sleeper:' || c.league_id || ':' || c.transaction_id as claim_key,
    c.league_id, c.season, c.week, c.transaction_id, c.status, c.is_completed, c.created_at,
    c.status_updated_at as processed_at, c.roster_id, f.franchise_id, c.waiver_bid, c.waiver_seq,
    c.waiver_priority, c.claimed_sleeper_player_id, cx.player_id as claimed_player_id,
    cp.full_name as claimed_player_name, c.dropped_sleeper_player_id, dx.player_id as dropped_player_id,
    case when c.status = 'failed' then c.notes end as failure_reason, c.notes
from claims c
left join {{ ref('dim_franchise') }} f on f.sleeper_roster_id = c.roster_id
left join {{ ref('stg_sleeper__players') }} cp on cp.sleeper_player_id = c.claimed_sleeper_player_id
left join {{ ref('dim_player_id_xref') }} cx on cx.sleeper_id = c.claimed_sleeper_player_id
left join {{ ref('dim_player_id_xref') }} dx on dx.sleeper_id = c.dropped_sleeper_player_id
