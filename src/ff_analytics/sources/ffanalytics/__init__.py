"""ffanalytics projections: a Polars/NumPy port of the R package's ``projections_table`` consensus.

Public entry points: :func:`ingest_ffanalytics` (raw file or R → snapshots), :func:`consensus` (pure
aggregation), :func:`source_points` (each source's points per player, as R's ``source_points``),
:func:`sanity_check` (governance findings).
"""

from ff_analytics.sources.ffanalytics.aggregate import AVG_TYPES, build_consensus, consensus
from ff_analytics.sources.ffanalytics.ingest import ingest_ffanalytics
from ff_analytics.sources.ffanalytics.rows import source_points
from ff_analytics.sources.ffanalytics.sanity import Finding, sanity_check
from ff_analytics.sources.ffanalytics.scoring import load_scoring_rules
from ff_analytics.sources.ffanalytics.weights import load_weights

__all__ = ["AVG_TYPES", "Finding", "build_consensus", "consensus", "ingest_ffanalytics", "load_scoring_rules",
           "load_weights", "sanity_check", "source_points"]
