"""Running a piece of code in a child process that the test can kill with SIGKILL.

Not a test module. ``fork`` rather than a fresh interpreter: the child starts in a few
milliseconds with the pack already imported, so a test can afford a hundred kill rounds. The
child reports to the parent through a pipe, one line per message ("ack ...", "paused ...");
the parent reads those lines and decides when to kill.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import time
import traceback
from collections.abc import Callable

WAIT_LIMIT = 60.0
"""Seconds the parent waits for a message before calling the child stuck."""


class Child:
    """A forked process running ``body(send)``; ``send(line)`` writes one line to the parent."""

    def __init__(self, body: Callable[[Callable[[str], None]], None]) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never return into the test runner
            os.close(read_end)
            code = 0
            try:
                body(lambda line: os.write(write_end, f"{line}\n".encode()))
            except BaseException:
                traceback.print_exc(file=sys.stderr)
                code = 1
            finally:
                os._exit(code)
        os.close(write_end)
        self.pid = pid
        self._read_end = read_end
        self._buffer = b""
        self.lines: list[str] = []
        self.exit_status: int | None = None

    def next_line(self, timeout: float = WAIT_LIMIT) -> str | None:
        """The next line from the child, or None once it has exited and said everything."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"child {self.pid} said nothing for {timeout} s")
            ready, _, _ = select.select([self._read_end], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._read_end, 65536)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        self.lines.append(line.decode())
        return self.lines[-1]

    def wait_for(self, prefix: str) -> str | None:
        """Read lines until one starts with ``prefix``; None if the child ended first."""
        while (line := self.next_line()) is not None:
            if line.startswith(prefix):
                return line
        return None

    def kill(self) -> None:
        """SIGKILL: no cleanup, no atexit, no rollback - the process simply stops."""
        os.kill(self.pid, signal.SIGKILL)
        self._reap()

    def finish(self) -> int:
        """Wait for a child that ends by itself; return its exit status."""
        return self._reap()

    def _reap(self) -> int:
        _, status = os.waitpid(self.pid, 0)
        self.exit_status = status
        while self.next_line() is not None:  # whatever it wrote before it died
            pass
        os.close(self._read_end)
        return status

    def messages(self, prefix: str) -> list[str]:
        return [line for line in self.lines if line.startswith(prefix)]
