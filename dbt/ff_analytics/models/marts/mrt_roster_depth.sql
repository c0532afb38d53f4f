-- Roster depth per franchise and position, one row per rostered player (the sheet's contracts for the current
-- season): depth order by projected season points (mrt_player_value), then KTC value, then salary; projected
-- starters are the first N of the position, N = the league's dedicated starting slots for it
-- (int_league_format; flex slots are not assigned here). Age as of 1 September of the current season, and an age
-- curve bucket per position: rising before the position's prime, prime, declining after it (RB prime 24-26,
-- WR 25-28, TE 26-29, QB 26-32, K/DEF never decline, IDP 25-28). A franchise without contracts is one row with
-- missing_reason.
with fmt as (
    select * from {{ ref('int_league_format') }}
),
current_contracts as (
    select franchise_id, player_key, any_value(player_id) as player_id, any_value(player_name) as player_name,
           any_value(position) as position, any_value(birth_date) as birth_date,
           max(salary) filter (where seasons_from_now = 0) as current_salary,
           max(seasons_from_now) + 1 as contract_years_left, max(season) as contract_end_season
    from {{ ref('int_contract_seasons') }}
    group by all
),
ranked as (
    select c.*, v.projected_points, v.ktc_value,
           row_number() over (partition by c.franchise_id, c.position
                              order by v.projected_points desc nulls last, v.ktc_value desc nulls last,
                                       c.current_salary desc nulls last, c.player_key) as depth_rank,
           date_diff('day', c.birth_date, make_date({{ current_season() }}, 9, 1)) / 365.25 as age_years
    from current_contracts c
    left join {{ ref('mrt_player_value') }} v on v.player_key = c.player_key
),
curve as (
    select * from (values ('RB', 24, 26), ('WR', 25, 28), ('TE', 26, 29), ('QB', 26, 32), ('DL', 25, 28),
                          ('LB', 25, 28), ('DB', 25, 28), ('K', 0, 99), ('DEF', 0, 99))
        as t(position, prime_from, prime_to)
)
select
    f.franchise_id, f.franchise_name, f.owner_name, r.position, r.depth_rank, r.player_key, r.player_id,
    r.player_name,
    r.depth_rank <= case r.position when 'QB' then x.qb_slots when 'RB' then x.rb_slots when 'WR' then x.wr_slots
        when 'TE' then x.te_slots when 'K' then x.k_slots when 'DEF' then x.def_slots when 'DL' then x.dl_slots
        when 'LB' then x.lb_slots when 'DB' then x.db_slots else 0 end as is_projected_starter,
    r.projected_points, r.ktc_value, round(r.age_years, 1) as age,
    case when r.age_years is null or a.position is null then null
         when r.age_years < a.prime_from then 'rising'
         when r.age_years < a.prime_to + 1 then 'prime'
         else 'declining' end as age_curve_bucket,
    r.current_salary, r.contract_years_left, r.contract_end_season,
    case when r.franchise_id is null then coalesce(cov.missing_reason, 'no rostered contract') end as missing_reason
from {{ ref('dim_franchise') }} f
cross join fmt x
left join ranked r on r.franchise_id = f.franchise_id
left join curve a on a.position = r.position
left join {{ ref('mrt_franchise_coverage') }} cov on cov.franchise_id = f.franchise_id
