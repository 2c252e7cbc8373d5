"""Sign-in, roles, accounts and security headers of the hosted dashboard (issue 12).

``roles`` (netzwerk, stadt:<AGS>) → ``etl.warehouse.Scope``; ``users`` (argon2 hashes in the warehouse);
``cli`` (``engage users``); ``signin`` (Flask-Login, the one before_request gate, rate limit, CSRF);
``headers`` (CSP and the other security headers, 400 for malformed callbacks, the German 404);
``secret`` (the session key shared by all worker processes).
"""
