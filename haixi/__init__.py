"""The Haixi dashboard: a cited fact base of Haixi Prefecture's results, by source and year, and its views."""

__version__ = "1.0.0"
