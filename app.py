"""The app as a server: the Streamlit router (streamlit_app.py) with the HTTP routes beside it (ui/routes.py).

    streamlit run app.py
"""

import streamlit as st

from ui import routes

app = st.App("streamlit_app.py", routes=routes.ROUTES, lifespan=routes.lifespan)
