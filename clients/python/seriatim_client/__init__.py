"""A Python client for the Seriatim gateway, written from docs/protocol.md; standard library only."""

from .errors import (ConnectionLostError, GatewayError, ProtocolError, RejectedError, SeriatimError,
                     UnreachableError)
from .producer import Connection, Job, Producer
from .wire import JobResult, Rejection

__all__ = ["Connection", "ConnectionLostError", "GatewayError", "Job", "JobResult", "Producer", "ProtocolError",
           "Rejection", "RejectedError", "SeriatimError", "UnreachableError"]
__version__ = "0.1.0"
