"""Economic layer: effective tax rates, CIT rate paths and investor scenarios."""
