{#-
  Snapshot selection (seed plan objective 1).

  A snapshot is raw/<source>/<dataset>/dt=YYYY-MM-DD/*.parquet + _meta.json under var('data_root').
  At compile time (run_query, guarded by `execute`) we list partition names with DuckDB's glob() - which
  reads no data - and the registry CSV, choose the dt partitions, and emit

      read_parquet(['<file>', ...], union_by_name=true, hive_partitioning=true)

  so a query opens only the chosen snapshots' files (never scans every dt=* to find max(dt)).

  Rules
  - "latest" = the registry's current snapshot. Pending snapshots (not yet vetted) are never read, nor is
    anything newer than the current one (e.g. a rolled-back snapshot). With no registry rows for the dataset,
    the newest dt that has a manifest (_meta.json) is current.
  - latest_only: current. as_of: newest vetted snapshot on/before var('snapshot_as_of').
    baseline_plus_latest: newest vetted snapshot on/before the baseline date, plus current.
    all: every vetted snapshot up to current (current, historical, archived).
  - A missing snapshot, a registry without a current row, a bad strategy or a missing date is a compile
    error naming source/dataset: models never silently read nothing.
-#}

{% macro ffa_data_root() -%}
  {{- return((var('data_root') | string | trim).replace('\\', '/').rstrip('/')) -}}
{%- endmacro %}

{% macro _ffa_sql_str(value) -%}
  {{- return("'" ~ (value | string).replace("'", "''") ~ "'") -}}
{%- endmacro %}

{% macro _ffa_parse_glob(source_glob) %}
  {#- 'raw/<source>/<dataset>/dt=*/<pattern>' or '<source>/<dataset>[/<pattern>]' -> dict -#}
  {% set parts = source_glob.strip('/').split('/') %}
  {% if parts[0] == 'raw' %}{% set parts = parts[1:] %}{% endif %}
  {% if parts | length < 2 %}
    {{ exceptions.raise_compiler_error("snapshot glob '" ~ source_glob ~ "' must look like raw/<source>/<dataset>/dt=*/*.parquet") }}
  {% endif %}
  {% set pattern = parts[-1] if (parts | length > 2 and parts[-1].endswith('.parquet')) else '*.parquet' %}
  {% if pattern.count('*') != 1 %}
    {{ exceptions.raise_compiler_error("snapshot file pattern '" ~ pattern ~ "' must contain exactly one '*'") }}
  {% endif %}
  {% set halves = pattern.split('*') %}
  {{ return({'source': parts[0], 'dataset': parts[1], 'pattern': pattern, 'prefix': halves[0], 'suffix': halves[1]}) }}
{% endmacro %}

{% macro _ffa_fail(spec, message) %}
  {{ exceptions.raise_compiler_error("[" ~ spec.source ~ "/" ~ spec.dataset ~ "] " ~ message ~ " (data root: " ~ ffa_data_root() ~ ")") }}
{% endmacro %}

{% macro ffa_snapshot_inventory(spec) %}
  {#- One listing query: manifest dates, data files matching the pattern, registry presence. -#}
  {% set root = ffa_data_root() %}
  {% set base = root ~ '/raw/' ~ spec.source ~ '/' ~ spec.dataset %}
  {% set listing %}
    select file from glob({{ _ffa_sql_str(base ~ '/dt=*/*') }})
    union all
    select file from glob({{ _ffa_sql_str(root ~ '/registry/snapshot_registry.csv') }})
  {% endset %}
  {% set files = run_query(listing).columns[0].values() %}
  {% set manifests = [] %}
  {% set data_files = {} %}
  {% set has_registry = [] %}
  {% for f in files %}
    {% set path = f.replace('\\', '/') %}
    {% set name = path.split('/')[-1] %}
    {% if path.endswith('registry/snapshot_registry.csv') and '/raw/' not in path %}
      {% do has_registry.append(path) %}
    {% else %}
      {% set dir = path.split('/')[-2] %}
      {% if dir.startswith('dt=') %}
        {% set dt = dir[3:] %}
        {% if name == '_meta.json' %}
          {% do manifests.append(dt) %}
        {% elif name.startswith(spec.prefix) and name.endswith(spec.suffix) and name | length >= (spec.prefix ~ spec.suffix) | length %}
          {% do data_files.setdefault(dt, []).append(path) %}
        {% endif %}
      {% endif %}
    {% endif %}
  {% endfor %}
  {% set registry = [] %}
  {% if has_registry %}
    {% set reg_sql %}
      select snapshot_date, status
      from read_csv({{ _ffa_sql_str(has_registry[0]) }}, header=true, all_varchar=true)
      where source = {{ _ffa_sql_str(spec.source) }} and dataset = {{ _ffa_sql_str(spec.dataset) }}
      order by snapshot_date
    {% endset %}
    {% for row in run_query(reg_sql).rows %}
      {% do registry.append({'dt': row[0], 'status': row[1]}) %}
    {% endfor %}
  {% endif %}
  {{ return({'manifests': manifests | unique | sort | list, 'files': data_files, 'registry': registry}) }}
{% endmacro %}

{% macro ffa_select_snapshot_dates(spec, inventory, strategy, baseline_dt=none, as_of=none) %}
  {% set strategies = ['latest_only', 'baseline_plus_latest', 'all', 'as_of'] %}
  {% if strategy not in strategies %}
    {{ _ffa_fail(spec, "unknown snapshot strategy '" ~ strategy ~ "' (expected one of " ~ strategies | join(', ') ~ ")") }}
  {% endif %}
  {% set registry = inventory.registry %}
  {% if registry %}
    {% set current = registry | selectattr('status', 'equalto', 'current') | map(attribute='dt') | list %}
    {% if not current %}
      {{ _ffa_fail(spec, "no current snapshot in the registry (pending snapshots are not read until promoted)") }}
    {% endif %}
    {% set latest = current[0] %}
    {% set vetted = registry | rejectattr('status', 'equalto', 'pending') | map(attribute='dt') | select('le', latest) | list %}
  {% else %}
    {% if not inventory.manifests %}
      {{ _ffa_fail(spec, "no snapshot exists (no dt=*/_meta.json and no registry rows)") }}
    {% endif %}
    {% set latest = inventory.manifests[-1] %}
    {% set vetted = inventory.manifests %}
  {% endif %}
  {% set vetted = vetted | unique | sort | list %}

  {% if strategy == 'latest_only' %}
    {% set chosen = [latest] %}
  {% elif strategy == 'all' %}
    {% set chosen = vetted %}
  {% elif strategy == 'as_of' %}
    {% if not as_of %}{{ _ffa_fail(spec, "strategy as_of needs var snapshot_as_of (YYYY-MM-DD)") }}{% endif %}
    {% set candidates = vetted | select('le', as_of | string) | list %}
    {% if not candidates %}{{ _ffa_fail(spec, "no vetted snapshot on or before " ~ as_of) }}{% endif %}
    {% set chosen = [candidates[-1]] %}
  {% else %}
    {% if not baseline_dt %}{{ _ffa_fail(spec, "strategy baseline_plus_latest needs var snapshot_baseline_dt (YYYY-MM-DD)") }}{% endif %}
    {% set candidates = vetted | select('le', baseline_dt | string) | list %}
    {% if not candidates %}{{ _ffa_fail(spec, "no vetted snapshot on or before baseline " ~ baseline_dt) }}{% endif %}
    {% set chosen = [candidates[-1], latest] | unique | sort | list %}
  {% endif %}
  {% for dt in chosen %}
    {% if dt not in inventory.manifests %}
      {{ _ffa_fail(spec, "snapshot dt=" ~ dt ~ " is in the registry but its partition has no _meta.json") }}
    {% endif %}
    {% if dt not in inventory.files %}
      {{ _ffa_fail(spec, "snapshot dt=" ~ dt ~ " has no files matching " ~ spec.pattern) }}
    {% endif %}
  {% endfor %}
  {{ return(chosen) }}
{% endmacro %}

{% macro snapshot_selection_strategy(source_glob, strategy=none, baseline_dt=none, as_of=none) %}
  {%- if not execute -%}
    {{- return("(select null::date as dt)") -}}
  {%- endif -%}
  {%- set spec = _ffa_parse_glob(source_glob) -%}
  {%- set strategy = strategy or (var('snapshot_strategy') | trim) or 'latest_only' -%}
  {%- set baseline_dt = baseline_dt or (var('snapshot_baseline_dt') | trim) -%}
  {%- set as_of = as_of or (var('snapshot_as_of') | trim) -%}
  {%- set inventory = ffa_snapshot_inventory(spec) -%}
  {%- set chosen = ffa_select_snapshot_dates(spec, inventory, strategy, baseline_dt, as_of) -%}
  {%- set files = [] -%}
  {%- for dt in chosen -%}
    {%- for f in inventory.files[dt] | sort -%}{%- do files.append(_ffa_sql_str(f)) -%}{%- endfor -%}
  {%- endfor -%}
  {%- do log("[" ~ spec.source ~ "/" ~ spec.dataset ~ "] " ~ strategy ~ " -> dt " ~ chosen | join(', '), info=false) -%}
  {{- return("read_parquet([" ~ files | join(', ') ~ "], union_by_name=true, hive_partitioning=true)") -}}
{% endmacro %}

{% macro latest_snapshot_only(source_glob) %}
  {{- return(snapshot_selection_strategy(source_glob, strategy='latest_only')) -}}
{% endmacro %}

{% macro state_snapshot(source_glob) %}
  {#- Datasets that describe a state (rosters, contracts, values): one snapshot - as of var snapshot_as_of
      when set, else the current one. Never unions snapshots (a cut player must not linger). -#}
  {%- if (var('snapshot_as_of') | trim) -%}
    {{- return(snapshot_selection_strategy(source_glob, strategy='as_of')) -}}
  {%- endif -%}
  {{- return(latest_snapshot_only(source_glob)) -}}
{% endmacro %}

{% macro history_snapshots(source_glob) %}
  {#- Datasets with history (stats by week): the global strategy (var snapshot_strategy, default
      latest_only); the model keeps the newest snapshot's row per key (see dedupe_newest_snapshot). -#}
  {{- return(snapshot_selection_strategy(source_glob)) -}}
{% endmacro %}

{% macro dedupe_newest_snapshot(key_columns) -%}
  qualify row_number() over (partition by {{ key_columns | join(', ') }} order by dt desc) = 1
{%- endmacro %}

{% macro snapshot_source(source_name, dataset, selection='state') %}
  {#- The one way a staging model reads a snapshot: through dbt's source() (lineage and docs show the real
      source), narrowed at compile time to the snapshots the registry selects:
      - state: one snapshot (as of var snapshot_as_of when set, else the current one) - rosters, contracts, values;
      - history: the global strategy (var snapshot_strategy) - stats by week, newest snapshot's row per key;
      - all / latest: every vetted snapshot up to current / the current one, whatever the strategy. -#}
  {%- set relation = source(source_name, dataset) -%}
  {%- set snapshot_glob = 'raw/' ~ source_name ~ '/' ~ dataset ~ '/dt=*/*.parquet' -%}
  {%- if selection == 'state' -%}
    {{- return(state_snapshot(snapshot_glob)) -}}
  {%- elif selection == 'history' -%}
    {{- return(history_snapshots(snapshot_glob)) -}}
  {%- elif selection in ('all', 'latest') -%}
    {{- return(snapshot_selection_strategy(snapshot_glob, strategy='all' if selection == 'all' else 'latest_only')) -}}
  {%- endif -%}
  {{- exceptions.raise_compiler_error("[" ~ source_name ~ "/" ~ dataset ~ "] unknown selection '" ~ selection ~ "' (state, history, all, latest)") -}}
{% endmacro %}
