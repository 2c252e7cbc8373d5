"""Indicator computation (brief §5): ``compute.compute_indicators`` turns clean tables into mart frames."""
