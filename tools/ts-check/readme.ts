// The TypeScript example of README.md, verbatim (an xtask test keeps the two equal), compiled
// against the generated folder installed as the package `@app-server/protocol`.
import type { ClientRequestMethods } from "@app-server/protocol";

type Params<M extends keyof ClientRequestMethods> = ClientRequestMethods[M]["params"];

declare function request<M extends keyof ClientRequestMethods>(
  method: M,
  ...params: Params<M> extends undefined ? [] : [params: Params<M>]
): Promise<ClientRequestMethods[M]["result"]>;

const page = await request("thread/list", { limit: 50 }); // page.nextCursor: string | null
await request("account/logout"); // a method without params takes none
