"""Writes of a region's MPP administration (run inside the region's schema; every one audits)."""
