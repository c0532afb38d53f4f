-- Sleeper transactions, one row per transaction and item (action add / drop / draft_pick / waiver_budget;
-- item_index numbers them). A trade moving several draft picks has several items with a null player, so the
-- key is (league_id, transaction_id, item_index). status is complete, failed or pending: failed waiver claims
-- (with their reason in notes, claim order waiver_seq / waiver_priority and the bid) never moved anything, so
-- facts about moves keep status = 'complete' only. Loads cover recent weeks: every vetted snapshot is read and
-- the newest row per key kept.
select
    league_id, cast(season as integer) as season, cast(week as integer) as week, cast(leg as integer) as leg,
    transaction_id, type as transaction_type, status, status = 'complete' as is_completed,
    make_timestamp(cast(created as bigint) * 1000) as created_at,
    make_timestamp(cast(status_updated as bigint) * 1000) as status_updated_at,
    creator, roster_ids, consenter_ids, cast(waiver_bid as integer) as waiver_bid,
    cast(waiver_seq as integer) as waiver_seq, cast(waiver_priority as integer) as waiver_priority, notes,
    action, cast(item_index as integer) as item_index,
    player_id as sleeper_player_id, cast(roster_id as integer) as roster_id,
    cast(pick_season as integer) as pick_season, cast(pick_round as integer) as pick_round,
    cast(pick_original_roster_id as integer) as pick_original_roster_id,
    cast(pick_previous_owner_id as integer) as pick_previous_owner_id,
    cast(budget_sender as integer) as budget_sender, cast(budget_receiver as integer) as budget_receiver,
    cast(budget_amount as integer) as budget_amount,
    dt as snapshot_dt
from {{ snapshot_source('sleeper', 'transactions', 'all') }}
{{ dedupe_newest_snapshot(['league_id', 'transaction_id', 'item_index']) }}
