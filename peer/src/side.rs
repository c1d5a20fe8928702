//! What the peer needs of each end beyond the protocol's [`Side`]: thread-safe message types,
//! the id of a received request, and the error of a line that is not UTF-8.

use app_server_protocol::RequestId;
use app_server_protocol::connection::{ClientSide, ServerSide};

use sealed::Driven;

/// One end of a connection as the peer drives it: [`ClientSide`] or [`ServerSide`]. It names
/// the end of a [`Context`](crate::Context) ([`ClientContext`](crate::ClientContext) is
/// `Context<ClientSide>`). Sealed: the peer implements it for those two ends only.
pub trait PeerSide: sealed::Driven {}

impl PeerSide for ClientSide {}

impl PeerSide for ServerSide {}

mod sealed {
    use app_server_protocol::connection::Side;
    use app_server_protocol::{DecodeError, DecodeLimits, RequestId};

    /// What the peer asks of an end; private, so that nobody else implements [`PeerSide`].
    ///
    /// [`PeerSide`]: super::PeerSide
    pub trait Driven:
        Side<
            Answer: Send,
            Sent: Send + Sync,
            RequestMethod: Send,
            Request: Send,
            Notification: Send,
            IncomingRequest: Send,
            IncomingNotification: Send,
            PeerAnswer: Send,
        > + Send
        + Sync
        + 'static
    {
        /// The id of a request of the other end.
        fn incoming_id(request: &Self::IncomingRequest) -> RequestId;

        /// The decode error of a line that is not UTF-8 (-32700 with the byte offset), in the
        /// words of the protocol crate's byte decoder.
        fn undecodable(bytes: &[u8], limits: &DecodeLimits) -> DecodeError;
    }
}

/// Implements [`Driven`] for one end: the two ends differ only by the decoder of what they
/// receive.
macro_rules! driven {
    ($end:ty, decoded by $decode:path) => {
        impl Driven for $end {
            fn incoming_id(request: &Self::IncomingRequest) -> RequestId {
                request.request_id().clone()
            }

            fn undecodable(
                bytes: &[u8],
                limits: &app_server_protocol::DecodeLimits,
            ) -> app_server_protocol::DecodeError {
                let mut nothing_pending = app_server_protocol::PendingRequests::new();
                match $decode(bytes, &mut nothing_pending, limits) {
                    Err(error) => error,
                    // The byte decoder accepted what `str::from_utf8` refused: does not happen,
                    // but is an error, not a panic.
                    Ok(_) => app_server_protocol::DecodeError::new(
                        app_server_protocol::DecodeErrorKind::Parse,
                        "not UTF-8",
                    ),
                }
            }
        }
    };
}

driven!(ClientSide, decoded by app_server_protocol::decode_server_message_bytes);
driven!(ServerSide, decoded by app_server_protocol::decode_client_message_bytes);
