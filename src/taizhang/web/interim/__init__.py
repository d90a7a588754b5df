"""Stand-ins for services that had not landed when the web app was written.

Each module has the interface documented for the real service (``services.accounts``,
``services.queries``, ``services.workflow``); :mod:`taizhang.web.backend` uses the real one
whenever it can be imported, so these only run in a tree where it is missing.
"""
