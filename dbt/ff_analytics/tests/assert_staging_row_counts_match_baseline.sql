-- Row counts per staging model against the recorded baseline (seeds/staging_row_count_baseline.csv: the counts
-- the real connectors produce from the repo's recordings, as tests/dbt/sample_root.py loads them). Severity comes
-- from var row_count_baseline_severity: 'error' in CI on the recordings, 'warn' elsewhere (production data
-- legitimately differs from the recordings).
{{ config(severity=var('row_count_baseline_severity', 'warn')) }}
with actual as (
    {% for name in staging_model_names() %}
    select '{{ name }}' as model_name, count(*) as row_count from {{ ref(name) }}
    {{ 'union all' if not loop.last }}
    {% endfor %}
)
select coalesce(a.model_name, b.model_name) as model_name, a.row_count as actual_rows, b.row_count as baseline_rows
from actual a
full outer join {{ ref('staging_row_count_baseline') }} b on b.model_name = a.model_name
where a.row_count is distinct from b.row_count
