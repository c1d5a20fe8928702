"""Reading JSON Lines from an ``asyncio.StreamReader`` without its 64 KiB line limit
(``readline`` raises ``ValueError`` past the reader's ``limit`` and loses the stream's place):
chunks are read and split here, a line may be as long as ``max_bytes``, and a longer one is
skipped whole — never buffered past the limit — and reported."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

__all__ = ["LineReader", "LineTooLong"]

CHUNK = 1 << 16
"""How much is read from the stream at once."""


@dataclass(frozen=True)
class LineTooLong:
    """A line longer than the reader's limit, skipped: how many bytes it had."""

    size: int


class LineReader:
    """The lines of a stream, one at a time, each at most ``max_bytes`` long (without its
    newline)."""

    def __init__(self, stream: asyncio.StreamReader, max_bytes: int) -> None:
        self._stream = stream
        self._max = max_bytes
        self._buffer = bytearray()
        self._scanned = 0

    async def read(self) -> bytes | LineTooLong | None:
        """The next line (without its newline; a last line without one counts), a
        ``LineTooLong`` for a line past the limit, or ``None`` at the end of the stream."""
        while True:
            end = self._buffer.find(b"\n", self._scanned)
            if end >= 0:
                line = bytes(self._buffer[:end])
                del self._buffer[: end + 1]
                self._scanned = 0
                if len(line) > self._max:
                    return LineTooLong(len(line))
                return line
            self._scanned = len(self._buffer)
            if len(self._buffer) > self._max:
                return await self._skip()
            chunk = await self._stream.read(CHUNK)
            if not chunk:
                if not self._buffer:
                    return None
                line = bytes(self._buffer)
                self._buffer.clear()
                self._scanned = 0
                return line if len(line) <= self._max else LineTooLong(len(line))
            self._buffer += chunk

    async def _skip(self) -> LineTooLong:
        """Drops the rest of a line past the limit, up to and including its newline."""
        size = len(self._buffer)
        self._buffer.clear()
        self._scanned = 0
        while True:
            chunk = await self._stream.read(CHUNK)
            if not chunk:
                return LineTooLong(size)
            end = chunk.find(b"\n")
            if end >= 0:
                self._buffer += chunk[end + 1 :]
                return LineTooLong(size + end)
            size += len(chunk)
