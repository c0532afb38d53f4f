"""One player identity across every source: the resolver, its rules and its match-quality findings."""

from ff_analytics.identity.quality import identity_findings
from ff_analytics.identity.step import resolve_player_identity

__all__ = ["identity_findings", "resolve_player_identity"]
