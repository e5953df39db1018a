"""Exit codes and the usage error that every command shares (imports nothing of harmonize).

Exit codes: 0 success; 1 problems found (or a gate failed); 2 usage error or unreadable input.
"""

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or unusable input: the command prints one line and exits with EXIT_USAGE."""
