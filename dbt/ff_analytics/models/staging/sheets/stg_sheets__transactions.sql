-- The league's transaction log (TRANSACTIONS tab): the system of record for trades, cuts, drafts, FAAD.
-- depends_on: {{ source('sheets', 'transactions') }}
select
    cast(transaction_id as bigint) as transaction_id,
    time_frame,
    try_cast(regexp_extract(time_frame, '^(\d{4})', 1) as integer) as season,
    from_franchise, to_franchise,
    nullif(original_order, '-') as original_order, try_cast(nullif(round, '-') as integer) as round,
    try_cast(nullif(pick, '-') as integer) as pick,
    nullif(position, '-') as position, nullif(player, '-') as player_name,
    {{ name_key("nullif(player, '-')") }} as name_key,
    nullif(contract, '-') as contract, nullif(split, '-') as split,
    nullif(rfa_matched, '-') as rfa_matched, nullif(faad_comp, '-') as faad_comp,
    type as transaction_type,
    dt as snapshot_dt
from {{ state_snapshot('raw/sheets/transactions/dt=*/*.parquet') }}
