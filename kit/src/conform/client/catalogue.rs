//! Every check `conform client` runs.

use crate::conform::check::Check;

/// The one scenario of `conform client`: the client's whole session against the mock.
pub const SESSION: &str = "session";

/// The check that the client starts with `initialize`.
pub const INITIALIZE_FIRST: &str = "client.initialize-first";
/// The check that the client sends `initialized` after the answer, before anything else.
pub const INITIALIZED: &str = "client.initialized";
/// The check that every client message keeps the input contract.
pub const INPUT_CONTRACT: &str = "client.input-contract";
/// The check that request ids are not reused while pending.
pub const UNIQUE_IDS: &str = "client.unique-ids";
/// The check that every approval is answered with a valid decision in time.
pub const APPROVALS: &str = "client.approvals-answered";
/// The check that an unknown server request is answered with an error.
pub const UNKNOWN_REQUEST: &str = "client.unknown-request-answered";

/// Every check of `conform client`, in report order.
pub const CATALOGUE: &[Check] = &[
    Check {
        id: INITIALIZE_FIRST,
        scenario: SESSION,
        description: "the first message is the `initialize` request",
        reference: "generated/docs/API.md#the-handshake",
    },
    Check {
        id: INITIALIZED,
        scenario: SESSION,
        description: "`initialized` is sent after the `initialize` answer and before any other message",
        reference: "generated/docs/API.md#the-handshake",
    },
    Check {
        id: INPUT_CONTRACT,
        scenario: SESSION,
        description: "every message keeps the input contract: it decodes, with no unknown, misspelled or snake_case member",
        reference: "README.md#conventions-of-the-wire",
    },
    Check {
        id: UNIQUE_IDS,
        scenario: SESSION,
        description: "a request id is not reused while its request is pending",
        reference: "generated/docs/API.md#requests-answers-and-notifications",
    },
    Check {
        id: APPROVALS,
        scenario: SESSION,
        description: "every approval request is answered with a valid decision within the answer timeout",
        reference: "generated/docs/API.md#a-turn",
    },
    Check {
        id: UNKNOWN_REQUEST,
        scenario: SESSION,
        description: "a server request the client does not know is answered with an error, not a result or silence",
        reference: "generated/docs/API.md#requests-answers-and-notifications",
    },
];
