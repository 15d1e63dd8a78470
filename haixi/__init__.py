"""The Haixi dashboard: a cited fact base of Haixi Prefecture's 2022 results and its views."""

__version__ = "1.0.0"
