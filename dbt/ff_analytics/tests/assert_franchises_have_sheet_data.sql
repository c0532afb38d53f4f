-- Completeness finding: franchises of dim_franchise for which the commissioner sheet holds no data. Warn level
-- (the marts still list them, with missing_reason); the failing rows are stored so the finding can name them.
{{ config(severity='warn', store_failures=true) }}
select franchise_id, owner_name, gm_tab, missing_reason
from {{ ref('mrt_franchise_coverage') }}
where missing_reason is not null
