// A small client written against the generated types: it must compile under
// `moduleResolution: bundler` and `nodenext`, with TypeScript 5.x and 7.x.
import type {
  ClientMessage,
  ClientRequest,
  ClientRequestMethods,
  ServerMessage,
  ServerNotification,
  ServerNotificationMethods,
  ServerRequestMethods,
} from "../../generated/typescript/index.js";
import type * as v2 from "../../generated/typescript/v2/index.js";

type Params<M extends keyof ClientRequestMethods> = ClientRequestMethods[M]["params"];
type Result<M extends keyof ClientRequestMethods> = ClientRequestMethods[M]["result"];

declare function request<M extends keyof ClientRequestMethods>(
  method: M,
  ...params: Params<M> extends undefined ? [] : [Params<M>]
): Promise<Result<M>>;

declare function onNotification<M extends keyof ServerNotificationMethods>(
  method: M,
  handler: (params: ServerNotificationMethods[M]["params"]) => void,
): void;

export async function listAllThreads(): Promise<v2.Thread[]> {
  const threads: v2.Thread[] = [];
  let cursor: string | null = null;
  do {
    // Params a client sends may leave optional fields out.
    const page: Result<"thread/list"> = await request("thread/list", cursor === null ? { limit: 50 } : { cursor, limit: 50 });
    threads.push(...page.data);
    // Outputs always carry the key: `nextCursor` is `string | null`, never undefined.
    cursor = page.nextCursor;
  } while (cursor !== null);
  return threads;
}

export async function startTurn(threadId: string, text: string): Promise<v2.Turn> {
  const { turn } = await request("turn/start", { threadId, input: [{ type: "text", text }] });
  const error: v2.TurnError | null = turn.error;
  if (turn.status === "failed" && error !== null) {
    console.error(error.message);
  }
  return turn;
}

export async function logout(): Promise<void> {
  await request("account/logout");
}

export function watch(): void {
  onNotification("turn/completed", (params) => {
    const status: v2.TurnStatus = params.turn.status;
    console.log(params.threadId, status);
  });
  onNotification("error", (params) => {
    const transient: boolean = params.willRetry;
    console.log(params.threadId, params.turnId, transient, params.error.message);
  });
}

export function route(message: ServerMessage): string {
  if ("method" in message) {
    return message.method;
  }
  return "id" in message ? String(message.id) : "";
}

export function describe(notification: ServerNotification): string {
  switch (notification.method) {
    case "item/agentMessage/delta":
      return notification.params.delta;
    case "turn/diff/updated":
      return notification.params.diff;
    default:
      return notification.method;
  }
}

export function approve(id: string | number, params: ServerRequestMethods["item/commandExecution/requestApproval"]["params"]): ClientMessage {
  const decision: v2.CommandExecutionApprovalDecision =
    params.proposedExecpolicyAmendment !== null
      ? { acceptWithExecpolicyAmendment: { execpolicyAmendment: params.proposedExecpolicyAmendment } }
      : "accept";
  return { id, result: { decision } };
}

export const initialize: ClientRequest = {
  id: 1,
  method: "initialize",
  params: { clientInfo: { name: "consumer-test", title: null, version: "0.0.1" } },
};

// Every integer is a `number`, never a `bigint`.
export function createdAt(thread: v2.Thread): number {
  return thread.createdAt * 1000;
}
