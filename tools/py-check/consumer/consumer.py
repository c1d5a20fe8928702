"""A small client of the generated package, as a consumer writes one: it routes what the
server sends with ``match``, answers command approvals, passes over what a newer server adds
and notes a turn that ended even when its ``turn/completed`` was refused. ``pyright --strict``
checks it against the package; ``tests/test_consumer.py`` runs it on fixture lines."""

from __future__ import annotations

from dataclasses import dataclass, field

from app_server_protocol import (
    DecodeError,
    ErrorResponse,
    Notification,
    PendingRequests,
    Request,
    Response,
    UnknownNotification,
    decode_server_message,
    encode_message,
    v2,
)


@dataclass
class Client:
    """Keeps what a user interface would show, and the lines to send back to the server."""

    pending: PendingRequests = field(default_factory=PendingRequests)
    shown: list[str] = field(default_factory=list[str])
    outgoing: list[str] = field(default_factory=list[str])
    allowed_prefixes: tuple[str, ...] = ("pytest", "cargo test")
    turn_ended: bool = False
    """Whether a `turn/completed` came, decoded or not: a loop waiting for it stops."""

    def receive(self, line: str) -> None:
        """Handles one line the server sent."""
        try:
            message = decode_server_message(line, self.pending)
        except DecodeError as err:
            # A refused notification keeps its method: the turn ended even if its params break
            # the contract (e.g. a 0.63 `turn/completed` without `threadId`).
            self.turn_ended = self.turn_ended or err.notification_method == "turn/completed"
            self.shown.append(f"bad line from the server: {err.code} at {err.path}")
            return
        match message:
            case Notification(params=v2.AgentMessageDeltaNotification(delta=delta)):
                self.shown.append(f"agent: {delta}")
            case Notification(params=v2.ItemStartedNotification(item=v2.ThreadItemCommandExecution() as item)):
                self.shown.append(f"running: {item.command}")
            case Notification(params=v2.ItemStartedNotification(item=v2.UnknownThreadItem() as item)):
                # An item of a kind a newer server added: shown generically, the turn goes on.
                self.shown.append(f"started an item of a kind this client does not know: {item.type}")
            case Notification(params=v2.ItemCompletedNotification(item=item)):
                self.shown.append(f"item done: {item.type}")
            case Notification(params=v2.TurnCompletedNotification(turn=turn)):
                self.turn_ended = True
                failure = f" ({turn.error.message})" if turn.error is not None else ""
                self.shown.append(f"turn {turn.id}: {turn.status}{failure}")
            case Request(id=request_id, params=v2.CommandExecutionRequestApprovalParams() as ask):
                self.outgoing.append(self.answer(request_id, ask))
            case Request(id=request_id, method=method):
                self.shown.append(f"cannot answer {method} ({request_id})")
            case Notification(method=method):
                self.shown.append(f"notification {method}")
            case UnknownNotification(method=method):
                # A newer server's notification (method and raw params): passed over.
                self.shown.append(f"passed over {method}")
            case Response(method=method):
                self.shown.append(f"answer to {method}")
            case ErrorResponse(error=error):
                self.shown.append(f"error {error.code}: {error.message}")

    def answer(self, request_id: int | str, ask: v2.CommandExecutionRequestApprovalParams) -> str:
        """Accepts a command that starts with an allowed prefix, declines any other."""
        command = ask.command or ""
        accepted = any(command.startswith(prefix) for prefix in self.allowed_prefixes)
        decision: v2.CommandExecutionApprovalDecision = "accept" if accepted else "decline"
        self.shown.append(f"{'accepted' if accepted else 'declined'}: {command}")
        result = v2.CommandExecutionRequestApprovalResponse(decision=decision)
        return encode_message(Response(request_id, "item/commandExecution/requestApproval", result))
