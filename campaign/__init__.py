"""反诈 APP 推广台账 / Anti-Fraud App Campaign Tracker: the core (no streamlit). The features are listed in
campaign/features.py, the composition root; shared infrastructure lives in campaign/infra/."""
