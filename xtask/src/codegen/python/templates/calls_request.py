%signature%
        """Sends the request ``method`` with ``params`` (its params model; ``None`` for a method
        without params) and waits for its answer: the method's result model. An error answer
        raises ``RequestError``; an answer that breaks the contract raises the ``DecodeError``;
        no answer within ``timeout`` seconds (the client's default when ``None``) raises
        ``RequestTimeout``; a connection that closes first raises ``ConnectionClosed``."""
        return await self._call(method, params, timeout)
