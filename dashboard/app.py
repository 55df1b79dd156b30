"""The cartify dashboard: `make dashboard` (streamlit run dashboard/app.py)."""

from __future__ import annotations

import streamlit as st

st.set_page_config(
    page_title="cartify", page_icon=":material/shopping_cart:", layout="wide"
)

PAGES = [
    st.Page(
        "views/customers.py",
        title="Customers and segments",
        icon=":material/groups:",
        default=True,
    ),
    st.Page("views/products.py", title="Products", icon=":material/inventory_2:"),
    st.Page(
        "views/orders.py", title="Orders and sales", icon=":material/receipt_long:"
    ),
    st.Page("views/campaigns.py", title="Campaigns", icon=":material/campaign:"),
    st.Page(
        "views/ad_structure.py", title="Ad structure", icon=":material/account_tree:"
    ),
    st.Page(
        "views/performance.py",
        title="Ad performance and funnel",
        icon=":material/filter_alt:",
    ),
]

st.navigation(PAGES).run()
