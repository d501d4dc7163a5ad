"""The validation service (``asw-validator serve``): an HTTP API and a web page.

Importing this package costs nothing: FastAPI, uvicorn, pebble and the other ``serve`` extra
dependencies are imported only by the modules that need them (``app``, ``api``, ``web``,
``core``, ``pool``, ``body``, ``server``), never by the CLI's other commands
(``tests/test_service_cli.py``).
"""

from __future__ import annotations

#: What ``serve`` needs beyond the validator itself, by import name.
EXTRA_MODULES = ("fastapi", "uvicorn", "pebble", "python_multipart", "prometheus_client")


def missing_modules() -> list[str]:
    """The ``serve`` extra's modules that cannot be imported here (empty: all there); they
    are imported, since ``serve`` goes on to use them."""
    import importlib

    missing = []
    for name in EXTRA_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing
