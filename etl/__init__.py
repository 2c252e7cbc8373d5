"""Engagement-Monitor ETL: raw exports → validated, pseudonymised clean tables → indicators → warehouse."""
