"""Worker tasks that misbehave on purpose, for the service tests (imported by name in the
workers): a document labelled ``hang.xml`` never finishes, ``crash.xml`` kills its worker;
anything else is validated as usual."""

from __future__ import annotations

import os
import time

from asw_validator.service import worker


def misbehave(job: worker.Job) -> worker.Outcome:
    labels = {label for _, label in job.documents}
    if "hang.xml" in labels:
        time.sleep(600)
    if "crash.xml" in labels:
        os._exit(7)
    return worker.check(job)
