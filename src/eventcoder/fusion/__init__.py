"""Event fusion: reports of the same happening in different documents become one fused event."""

from .rules import FusionRules, Mention, cluster, fused_id

__all__ = ["FusionRules", "Mention", "cluster", "fused_id"]
