"""Privacy by design (Québec's Law 25): what the site holds about each person, their
consents, the export of their data, the erasure of their account and retention limits.

Each app declares the personal data of its own models in `<app>/privacy.py`, registered
from its `AppConfig.ready()` through `hackqc.privacy.registry`: this package exports and
anonymises every app's data without importing the apps built on the core.
"""
