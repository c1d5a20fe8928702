%signature%
        """Sends the notification ``method`` with ``params`` (``None`` for a method without
        params)."""
        await self._notify(method, params)
