//! The bearer token: `authorization: Bearer <token>` on every call. Yours to
//! check (TODO(step 5)).
//!
//! What the token proves: the caller knows the secret the server was given
//! (`FLIGHT_TOKEN`). TLS keeps it secret on the way; the check keeps out
//! everyone who does not know it, whoever finds the open port.

use tonic::{Request, Status};

// ANCHOR: check
/// The server's check, run before every call (a tonic interceptor).
pub fn check(expected: &str, request: &Request<()>) -> Result<(), Status> {
    // TODO(step 5): let a call through only if its metadata (the gRPC
    // headers) carries `authorization: Bearer <token>` with exactly the
    // server's token, `expected`. Refuse every other call (no header, not a
    // bearer token, another token) with UNAUTHENTICATED and a message that
    // says what to send. An Err here ends the call before it reaches do_get.
    // Extra credit, which no test can see: compare in a time that does not
    // depend on where the tokens differ.
    // Docs: https://docs.rs/tonic/0.14/tonic/service/trait.Interceptor.html
    //       https://docs.rs/tonic/0.14/tonic/metadata/struct.MetadataMap.html
    //       https://docs.rs/tonic/0.14/tonic/struct.Status.html
    let _ = (expected, request);
    Err(Status::unimplemented(
        "TODO(step 5): check the bearer token (steps/05-secure/src/token.rs)",
    ))
}
// ANCHOR_END: check

/// Given: the header value the client sends.
pub fn header_value(token: &str) -> String {
    format!("Bearer {token}")
}
