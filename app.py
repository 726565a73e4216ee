"""The app as a server: the Streamlit router (streamlit_app.py) with the HTTP routes beside it (ui/routes.py).

    streamlit run app.py
"""

import streamlit as st

import ui
from ui import routes

# An exception no page handled is logged and shown as "something went wrong, nothing was saved" (issue 16).
app = st.App("streamlit_app.py", routes=routes.ROUTES, lifespan=routes.lifespan, on_script_error=ui.on_script_error)
