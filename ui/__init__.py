"""Streamlit side of the dashboard: session keys, cached loaders and reusable widget groups."""
