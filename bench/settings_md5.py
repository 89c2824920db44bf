"""The application's settings with a near-free password hasher (MD5), for bench/logins.py to
time a password sign-in on the real server without the production hasher's own cost."""

from headwater.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
