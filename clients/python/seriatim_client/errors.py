"""What can go wrong, as exceptions a caller can tell apart."""


class SeriatimError(Exception):
    """Every error of this client."""


class UnreachableError(SeriatimError):
    """The gateway could not be reached when connecting: nothing was sent."""


class RejectedError(SeriatimError):
    """The gateway refused a job or a whole batch.

    code is the Rejection code: INVALID and UNKNOWN_NAMESPACE are final (the job is not in Redis);
    BATCH_TOO_LARGE refused a whole batch (nothing of it is in Redis); UNAVAILABLE means Redis could
    not be reached and the outcome is unknown (raised only once the resends are used up).
    results, when set, is the list of per-job results of the call that failed (None where not known).
    """

    def __init__(self, code, reason, results=None):
        SeriatimError.__init__(self, "%s: %s" % (code, reason))
        self.code = code
        self.reason = reason
        self.results = results


class GatewayError(SeriatimError):
    """The gateway sent an Error frame and closed the connection.

    code is the Error code (BAD_FRAME, UNSUPPORTED_VERSION, UNAUTHENTICATED, PROTOCOL, TIMEOUT,
    TOO_MANY_CONNECTIONS, OVERLOADED, INTERNAL). The producer reconnects and resends by itself after
    TIMEOUT, OVERLOADED and INTERNAL; it raises this for the others, and for those three once its
    reconnect attempts are used up.
    """

    RETRYABLE = frozenset(["TIMEOUT", "OVERLOADED", "INTERNAL"])

    def __init__(self, code, message, results=None):
        SeriatimError.__init__(self, "gateway error %s: %s" % (code, message))
        self.code = code
        self.message = message
        self.results = results

    @property
    def retryable(self):
        return self.code in self.RETRYABLE


class ConnectionLostError(SeriatimError):
    """The connection was lost and could not be restored within the reconnect attempts.

    What was sent and not answered may or may not be in Redis: submit it again with the same
    dedup ids to have it once. results is the list of per-job results of the failed call, None
    where not known.
    """

    def __init__(self, message, results=None):
        SeriatimError.__init__(self, message)
        self.results = results


class ProtocolError(SeriatimError):
    """The gateway sent what this client cannot read (bad bytes, an answer out of order, a frame over the limit)."""
