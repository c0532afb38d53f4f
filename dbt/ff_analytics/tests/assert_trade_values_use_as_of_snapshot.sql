-- The KTC snapshot each trade is valued with "then" is the one the registry's as_of selection
-- (macros/snapshot_selection.sql, ffa_select_snapshot_dates) picks for the trade date, for the players and the
-- picks datasets; a trade older than every vetted snapshot uses the oldest. Returns the trades that differ.
-- depends_on: {{ ref('mrt_trade_values') }}
{% set checks = [] %}
{#- Compiled before the mart exists (dbt compile on an empty warehouse): nothing to compare yet. -#}
{% if execute and load_relation(ref('mrt_trade_values')) is not none %}
  {% set dates = run_query("select distinct cast(trade_date as varchar) from " ~ ref('mrt_trade_values') ~ " order by 1").columns[0].values() %}
  {% for dataset, column in [('players', 'ktc_then_snapshot_dt'), ('picks', 'ktc_then_pick_snapshot_dt')] %}
    {% set spec = _ffa_parse_glob('raw/ktc/' ~ dataset ~ '/dt=*/*.parquet') %}
    {% set inventory = ffa_snapshot_inventory(spec) %}
    {% set vetted = ffa_select_snapshot_dates(spec, inventory, 'all') %}
    {% for d in dates %}
      {% if d >= vetted[0] %}
        {% set chosen = ffa_select_snapshot_dates(spec, inventory, 'as_of', as_of=d)[0] %}
      {% else %}
        {% set chosen = vetted[0] %}
      {% endif %}
      {% do checks.append("('" ~ dataset ~ "', '" ~ column ~ "', date '" ~ d ~ "', date '" ~ chosen ~ "')") %}
    {% endfor %}
  {% endfor %}
{% endif %}
{% if checks %}
with expected(dataset, snapshot_column, trade_date, expected_dt) as (values {{ checks | join(', ') }})
select t.transaction_id, e.dataset, e.trade_date, e.expected_dt,
       case e.snapshot_column when 'ktc_then_snapshot_dt' then t.ktc_then_snapshot_dt
            else t.ktc_then_pick_snapshot_dt end as used_dt
from {{ ref('mrt_trade_values') }} t
join expected e on e.trade_date = t.trade_date
where e.expected_dt is distinct from
      case e.snapshot_column when 'ktc_then_snapshot_dt' then t.ktc_then_snapshot_dt else t.ktc_then_pick_snapshot_dt end
{% else %}
select null as transaction_id where false
{% endif %}
