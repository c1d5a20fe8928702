"""A small client of the generated package, as a consumer writes one, on its asyncio
``Client``: the handshake, a thread, one turn whose command approvals it answers (commands
starting with an allowed prefix accepted, others declined), the notifications routed with
``match`` until the turn ends — even when its ``turn/completed`` could not be decoded — and
what a newer server adds passed over. pyright --strict and mypy --strict check it;
``tests/test_consumer.py`` runs it against the kit's mock and a real released server."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from app_server_protocol import (
    Client,
    ClientRequestMethod,
    InvalidNotification,
    Notification,
    ServerRequestMethod,
    UnknownNotification,
    types,
    v2,
)


@dataclass
class Consumer:
    """Keeps what a user interface would show."""

    allowed_prefixes: tuple[str, ...] = ("pytest", "cargo test")
    shown: list[str] = field(default_factory=list[str])
    approvals: list[str] = field(default_factory=list[str])
    """The commands the server asked to run, in order."""
    commands: dict[str, asyncio.Future[str]] = field(default_factory=dict[str, "asyncio.Future[str]"])
    """The command of each command item, by item id, once its ``item/started`` is read: an
    approval of a server that leaves out its ``command`` (0.66) is shown with its item's."""
    status: str = ""
    """How the turn ended (``completed``, ``failed``, ``interrupted``; ``invalid`` when its
    ``turn/completed`` broke the contract)."""

    def _command(self, item_id: str) -> asyncio.Future[str]:
        return self.commands.setdefault(item_id, asyncio.get_running_loop().create_future())

    async def approve(self, ask: v2.CommandExecutionRequestApprovalParams) -> v2.CommandExecutionRequestApprovalResponse:
        """Accepts a command that starts with an allowed prefix, declines any other. Without a
        ``command`` in the request, the command of its item: the handler runs as the request
        arrives, the item's ``item/started`` (sent before it) is read by the notification loop."""
        command = ask.command
        if command is None:
            try:
                command = await asyncio.wait_for(asyncio.shield(self._command(ask.item_id)), 10.0)
            except TimeoutError:
                command = ""
        self.approvals.append(command)
        accepted = any(command.startswith(prefix) for prefix in self.allowed_prefixes)
        self.shown.append(f"{'accepted' if accepted else 'declined'}: {command}")
        return v2.CommandExecutionRequestApprovalResponse(decision="accept" if accepted else "decline")

    async def run_turn(self, client: Client, cwd: str, prompt: str, timeout: float = 60.0) -> v2.Turn:
        """Initializes the connection, starts a thread in ``cwd`` and runs one turn of
        ``prompt``; returns the turn as ``turn/start`` answered it."""
        client.on_request(ServerRequestMethod.CommandExecutionRequestApproval, self.approve)
        info = types.ClientInfo(name="py-consumer", version="1.0.0")
        hello = await client.request(ClientRequestMethod.Initialize, types.InitializeParams(client_info=info), timeout=timeout)
        self.shown.append(f"server: {hello.user_agent}")
        await client.notify("initialized")
        started = await client.request(ClientRequestMethod.ThreadStart, v2.ThreadStartParams(cwd=cwd), timeout=timeout)
        thread = started.thread.id
        prompt_input: list[v2.UserInput] = [v2.UserInputText(text=prompt)]
        turn = await client.request("turn/start", v2.TurnStartParams(thread_id=thread, input=prompt_input), timeout=timeout)
        async for item in client.notifications():
            if self.show(item):
                break
        return turn.turn

    def show(self, item: Notification | UnknownNotification | InvalidNotification) -> bool:
        """Shows one notification; whether the turn ended."""
        match item:
            case Notification(params=v2.AgentMessageDeltaNotification(delta=delta)):
                self.shown.append(f"agent: {delta}")
            case Notification(params=v2.ItemStartedNotification(item=v2.ThreadItemCommandExecution() as command)):
                started = self._command(command.id)
                if not started.done():
                    started.set_result(command.command)
                self.shown.append(f"running: {command.command}")
            case Notification(params=v2.ItemStartedNotification(item=v2.UnknownThreadItem() as unknown)):
                # An item of a kind a newer server added: shown generically, the turn goes on.
                self.shown.append(f"started an item of a kind this client does not know: {unknown.type}")
            case Notification(params=v2.ItemCompletedNotification(item=done)):
                self.shown.append(f"item done: {done.type}")
            case Notification(params=v2.TurnCompletedNotification(turn=turn)):
                failure = f" ({turn.error.message})" if turn.error is not None else ""
                self.status = turn.status
                self.shown.append(f"turn {turn.id}: {turn.status}{failure}")
                return True
            case InvalidNotification(method="turn/completed", error=error):
                # It came, though it breaks the contract: the turn ended all the same.
                self.status = "invalid"
                self.shown.append(f"turn ended; its notification was refused: {error}")
                return True
            case InvalidNotification(method=method, error=error):
                self.shown.append(f"bad {method}: {error.code} at {error.path}")
            case UnknownNotification(method=method):
                # A newer server's notification (method and raw params): passed over.
                self.shown.append(f"passed over {method}")
            case Notification():
                pass
        return False
