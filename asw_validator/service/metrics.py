"""The service's Prometheus metrics, in a registry of its own (one per app, so that two apps
in one process, as in tests, count apart)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from .worker import Outcome


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "asw_validator_http_requests",
            "HTTP requests answered, by method, route template and status",
            ("method", "route", "status"),
            registry=self.registry,
        )
        self.duration = Histogram(
            "asw_validator_http_request_duration_seconds",
            "Time from a request's start to its response, by route template",
            ("route",),
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
        )
        self.documents = Counter(
            "asw_validator_documents",
            "Documents validated, by verdict",
            ("valid",),
            registry=self.registry,
        )
        self.findings = Counter(
            "asw_validator_findings",
            "Findings reported, by code",
            ("code",),
            registry=self.registry,
        )
        self.queue = Gauge(
            "asw_validator_queue_taken",
            "Validation requests holding a place (being read, waiting or validated)",
            registry=self.registry,
        )
        self.replaced = Counter(
            "asw_validator_workers_replaced",
            "Workers killed after the time limit or found dead, and replaced",
            registry=self.registry,
        )

    def outcome(self, outcome: Outcome) -> None:
        self.documents.labels(valid="true").inc(outcome.valid_documents)
        self.documents.labels(valid="false").inc(outcome.documents - outcome.valid_documents)
        for code, n in outcome.codes.items():
            self.findings.labels(code=code).inc(n)

    def text(self) -> bytes:
        return generate_latest(self.registry)
