%signature%
        """Answers every request ``method`` the server sends with what ``handler`` returns (or
        awaits) for its params. A handler that raises ``RequestError`` answers with its error;
        any other exception answers -32603. A request without a handler is answered -32601."""
        self._handle(method, handler)
