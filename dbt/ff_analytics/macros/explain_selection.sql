{% macro ffa_explain_selection(cases) %}
  {#- dbt run-operation ffa_explain_selection --args '{cases: [{glob: ..., strategy: ..., baseline_dt: ..., as_of: ...}]}'
      Logs one JSON line per case with the snapshot dates the selection macros choose (for ops and tests). -#}
  {% for case in cases %}
    {% set spec = _ffa_parse_glob(case['glob']) %}
    {% set inventory = ffa_snapshot_inventory(spec) %}
    {% set chosen = ffa_select_snapshot_dates(spec, inventory, case['strategy'], case.get('baseline_dt'), case.get('as_of')) %}
    {% set relation = snapshot_selection_strategy(case['glob'], case['strategy'], case.get('baseline_dt'), case.get('as_of')) %}
    {% do log('FFA_SELECTION ' ~ tojson({'case': case, 'dates': chosen, 'relation': relation}), info=true) %}
  {% endfor %}
{% endmacro %}
