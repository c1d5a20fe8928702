import { PendingRequests, decodeClientMessage } from "@app-server/protocol";
const line = JSON.stringify({id:1, method:"resumeConversation", params:{path:null, conversationId:null, overrides:null, history:[{type:"message", role:"user"}]}});
console.log(decodeClientMessage(line, new PendingRequests()).error);
