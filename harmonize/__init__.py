"""harmonize: measure how compatible two jurisdictions' investment-incentive law is."""

__version__ = "0.1.0"
