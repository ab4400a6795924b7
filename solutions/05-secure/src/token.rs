//! The bearer token: `authorization: Bearer <token>` on every call.

use subtle::ConstantTimeEq;
use tonic::{Request, Status};

// ANCHOR: check
/// The server's check, run before every call (a tonic interceptor).
pub fn check(expected: &str, request: &Request<()>) -> Result<(), Status> {
    let header = request
        .metadata()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    // `Bearer <token>`: the scheme in any case (RFC 9110, section 11.1).
    let given = header
        .and_then(|h| h.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token);
    let Some(given) = given else {
        return Err(Status::unauthenticated(
            "no bearer token: send the header 'authorization: Bearer <token>'",
        ));
    };
    // Compared in a time that does not depend on where the tokens differ, so
    // that timing the answers does not reveal the token byte by byte.
    if !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        return Err(Status::unauthenticated("wrong bearer token"));
    }
    Ok(())
}
// ANCHOR_END: check

/// The header value the client sends.
pub fn header_value(token: &str) -> String {
    format!("Bearer {token}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_header(value: Option<&str>) -> Request<()> {
        let mut request = Request::new(());
        if let Some(value) = value {
            request
                .metadata_mut()
                .insert("authorization", value.parse().unwrap());
        }
        request
    }

    #[test]
    fn the_right_token_passes_and_others_are_unauthenticated() {
        assert!(check("s3cret", &with_header(Some("Bearer s3cret"))).is_ok());
        for header in [
            None,
            Some("s3cret"),
            Some("Bearer nope"),
            Some("Bearer s3cre"),
        ] {
            let status = check("s3cret", &with_header(header)).unwrap_err();
            assert_eq!(status.code(), tonic::Code::Unauthenticated, "{header:?}");
        }
    }
}
