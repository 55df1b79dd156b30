"""The cartify dashboard: a Streamlit app over the marts (`make dashboard`)."""
