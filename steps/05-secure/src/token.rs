//! The bearer token: `authorization: Bearer <token>` on every call. Yours to
//! check (TODO(step 5)).

use tonic::{Request, Status};

// ANCHOR: check
/// The server's check, run before every call (a tonic interceptor).
pub fn check(expected: &str, request: &Request<()>) -> Result<(), Status> {
    // TODO(step 5): read the "authorization" header from request.metadata();
    // no "Bearer <token>" → Status::unauthenticated saying what to send;
    // a token other than `expected` → Status::unauthenticated("wrong bearer token").
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
