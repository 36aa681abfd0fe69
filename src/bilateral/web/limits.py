"""The server's default bounds, apart from the web stack so the command line can show them
without importing it."""

#: Questions of one kind that may wait for a worker beyond those being answered, before 503.
QUEUE = 16
#: Seconds a check or a query may run before it is stopped.
TIME_LIMIT = 120.0
#: On SIGTERM, seconds the requests under way may take before they are stopped.
SHUTDOWN_TIMEOUT = 10
