"""The validation service (``asw-validator serve``): an HTTP API and a web page.

Importing this package costs nothing: FastAPI, uvicorn, pebble and the other ``serve`` extra
dependencies are imported only by the modules that need them (``app``, ``pool``, ``body``,
``server``), so ``asw-validator validate`` never pays for them (``tests/test_service_lazy.py``).
"""

from __future__ import annotations

#: What ``serve`` needs beyond the validator itself, by import name.
EXTRA_MODULES = ("fastapi", "uvicorn", "pebble", "python_multipart", "prometheus_client")


def missing_modules() -> list[str]:
    """The ``serve`` extra's modules that cannot be imported here (empty: all there)."""
    import importlib.util

    return [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]
