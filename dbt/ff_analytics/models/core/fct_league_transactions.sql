-- League transactions: the commissioner sheet's log (system of record) plus Sleeper's add/drop feed.
-- Franchises resolve from the owner name valid in the transaction's season.
with sheet as (
    select
        'sheets:' || t.transaction_id || ':' || row_number() over (
            partition by t.transaction_id order by t.player_name, t.position, t.to_franchise, t.round, t.pick)
          as transaction_key,
        t.transaction_id as source_transaction_id, 'sheets' as source_system, t.season, t.time_frame,
        t.transaction_type, t.from_franchise as from_party, t.to_franchise as to_party,
        ff.franchise_id as from_franchise_id, tf.franchise_id as to_franchise_id,
        t.player_name, t.position, {{ resolve_player_id('t.name_key', 't.position') }} as player_id,
        t.round as pick_round, t.pick as pick_number, t.contract, t.split, null::timestamp as occurred_at
    from {{ ref('stg_sheets__transactions') }} t
    left join {{ ref('league_franchise') }} ff
      on ff.owner_name = t.from_franchise and t.season between ff.season_start and ff.season_end
    left join {{ ref('league_franchise') }} tf
      on tf.owner_name = t.to_franchise and t.season between tf.season_start and tf.season_end
),
sleeper as (
    select
        'sleeper:' || s.transaction_id || ':' || s.sleeper_player_id || ':' || s.action as transaction_key,
        s.transaction_id as source_transaction_id, 'sleeper' as source_system, l.season, 'Week ' || s.week as time_frame, s.transaction_type,
        case when s.action = 'drop' then cast(s.roster_id as varchar) end as from_party,
        case when s.action = 'add' then cast(s.roster_id as varchar) end as to_party,
        case when s.action = 'drop' then f.franchise_id end as from_franchise_id,
        case when s.action = 'add' then f.franchise_id end as to_franchise_id,
        p.full_name as player_name, p.position, x.player_id,
        null::integer as pick_round, null::integer as pick_number, null as contract, null as split,
        s.created_at as occurred_at
    from {{ ref('stg_sleeper__transactions') }} s
    cross join (select max(season) as season from {{ ref('stg_sleeper__league') }}) l
    left join {{ ref('dim_franchise') }} f on f.sleeper_roster_id = s.roster_id
    left join {{ ref('stg_sleeper__players') }} p on p.sleeper_player_id = s.sleeper_player_id
    left join {{ ref('dim_player_id_xref') }} x on x.sleeper_id = s.sleeper_player_id
)
select * from sheet
union all by name
select * from sleeper
