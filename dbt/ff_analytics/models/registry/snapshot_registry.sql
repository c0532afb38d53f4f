-- The snapshot registry of the data root being transformed (<data root>/registry/snapshot_registry.csv), read in
-- place at run time. Not a seed copied into the project: several dbt runs on different data roots can share this
-- project directory, and a copied seed would let one run test against another run's registry. Empty (typed) when
-- the data root has no registry yet.
{%- set registry = ffa_data_root() ~ '/registry/snapshot_registry.csv' -%}
{%- set found = execute and (run_query('select count(*) from glob(' ~ _ffa_sql_str(registry) ~ ')')
                             .columns[0].values()[0] > 0) %}
{% if found %}
select
    source, dataset, cast(snapshot_date as date) as snapshot_date, status,
    try_cast(nullif(coverage_start_season, '') as integer) as coverage_start_season,
    try_cast(nullif(coverage_end_season, '') as integer) as coverage_end_season,
    try_cast(nullif(row_count, '') as bigint) as row_count, notes
from read_csv({{ _ffa_sql_str(registry) }}, header=true, all_varchar=true)
{% else %}
select null::varchar as source, null::varchar as dataset, null::date as snapshot_date, null::varchar as status,
       null::integer as coverage_start_season, null::integer as coverage_end_season, null::bigint as row_count,
       null::varchar as notes
where false
{% endif %}
