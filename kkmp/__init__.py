"""KKMP Dashboard domain: datasets, revisioned store, metrics, charts. Never imports Streamlit."""

__version__ = "0.1.0"
