"""What the service is allowed to do: its limits, its workers and its token.

Kept apart from the web framework so that the ``serve`` command can check its options (and
say what is wrong, exit 2) before anything heavy is imported.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..engine import Settings
from ..logs import get_logger

log = get_logger("asw_validator.service")

#: The environment variable that holds the token (never a committed file).
TOKEN_ENV = "ASW_VALIDATOR_TOKEN"
#: A shorter token is refused: it could be guessed.
MIN_TOKEN_LENGTH = 16
#: Test-only: a directory where each worker records what it opened or connected to after its
#: warm-up (``worker.Audit``); unset in production.
AUDIT_ENV = "ASW_VALIDATOR_AUDIT_DIR"

MB = 1024 * 1024
#: Defaults of ``serve``: a document, a request (a service holds bodies in memory, so these
#: are lower than ``validate``'s 50 MB), seconds on one request, and reading a body.
DEFAULT_MAX_FILE_BYTES = 10 * MB
DEFAULT_MAX_REQUEST_BYTES = 20 * MB
DEFAULT_TIME_LIMIT = 30.0
DEFAULT_READ_TIMEOUT = 30.0
DEFAULT_MAX_FILES = 100
DEFAULT_PORT = 8000


class ServiceSettingsError(ValueError):
    """A setting the service cannot run with; the message says which and why."""


@dataclass(frozen=True)
class ServiceSettings:
    """The service's limits and workers; ``validation`` is what ``validate`` would use.

    Memory is bounded by design: at most ``workers + queue`` requests hold a body at once,
    each at most ``max_request_bytes``.
    """

    validation: Settings = field(default_factory=lambda: Settings(max_bytes=DEFAULT_MAX_FILE_BYTES))
    workers: int = 1
    #: Requests waiting for a worker beyond those being validated; more get a 429.
    queue: int = 16
    #: Largest request body (all files together); ``validation.max_bytes`` is per file.
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    #: Documents in one multipart request.
    max_files: int = DEFAULT_MAX_FILES
    #: Seconds a worker may spend on one request before it is killed and replaced.
    time_limit: float = DEFAULT_TIME_LIMIT
    #: Seconds a client may take to send its body (a slow sender holds a queue place).
    read_timeout: float = DEFAULT_READ_TIMEOUT
    #: Required on every route but health and the empty form when set.
    token: str | None = field(default=None, repr=False)
    #: Test-only (``ASW_VALIDATOR_AUDIT_DIR``): workers record file and network use here.
    audit_dir: str | None = None
    #: The language of a page or human report when the request names none and the browser
    #: asks for none the tool speaks (``serve --lang``, the configuration's ``lang``).
    lang: str = "en"

    def __post_init__(self) -> None:
        for name in ("workers", "max_request_bytes", "max_files"):
            if getattr(self, name) < 1:
                raise ServiceSettingsError(f"{name} must be at least 1")
        if self.queue < 0:
            raise ServiceSettingsError("queue must be at least 0")
        for name in ("time_limit", "read_timeout"):
            if not getattr(self, name) > 0:
                raise ServiceSettingsError(f"{name} must be more than 0 seconds")
        if self.token is not None and len(self.token) < MIN_TOKEN_LENGTH:
            raise ServiceSettingsError(
                f"the token has {len(self.token)} characters; at least {MIN_TOKEN_LENGTH}"
                " are required"
            )

    @property
    def max_file_bytes(self) -> int:
        return self.validation.max_bytes


def read_token(token_file: Path | None, environ: dict[str, str] | None = None) -> str | None:
    """The token: ``ASW_VALIDATOR_TOKEN``, or the first line of ``token_file``; None when
    neither is given. Both at once is refused: which one is meant would be a guess."""
    env = os.environ if environ is None else environ
    from_env = env.get(TOKEN_ENV)
    if from_env is not None and token_file is not None:
        raise ServiceSettingsError(f"both {TOKEN_ENV} and a token file are set; use one")
    if from_env is not None:
        token = from_env.strip()
        if not token:
            raise ServiceSettingsError(f"{TOKEN_ENV} is set but empty")
        return token
    if token_file is None:
        return None
    try:
        mode = token_file.stat().st_mode
        text = token_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ServiceSettingsError(f"cannot read the token file {token_file}: {err}") from err
    if mode & (stat.S_IRWXG | stat.S_IRWXO):  # secrets mounted by orchestrators often are
        log.warning("the token file can be read by others", file=str(token_file))
    lines = text.splitlines()
    token = lines[0].strip() if lines else ""
    if not token:
        raise ServiceSettingsError(f"the token file {token_file} is empty")
    return token
