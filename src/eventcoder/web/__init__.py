"""The dashboard: HTML pages and their JSON twins over a read-only view of the store."""
