"""Report formats: one class per format behind ``Reporter``; ``REPORTERS`` feeds the CLI."""

from __future__ import annotations

from .base import Reporter
from .json import JsonReporter
from .text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
}

__all__ = ["REPORTERS", "Reporter"]
