//! Step 5's shared secret, from the environment.

use std::env::VarError;

/// The environment variable that holds the token, for the server and the client.
pub const TOKEN_VARIABLE: &str = "FLIGHT_TOKEN";

/// The token from the environment, or a line that says how to set it, or
/// what is wrong with it.
pub fn token_from_env() -> anyhow::Result<String> {
    token(std::env::var(TOKEN_VARIABLE))
}

/// The token, from the variable's value. It travels in an HTTP header,
/// `authorization: Bearer <token>`, whose value holds visible ASCII and
/// spaces only: a token with `é` or a line break would start both programs
/// and then fail every call, so it is refused here, at start.
fn token(value: Result<String, VarError>) -> anyhow::Result<String> {
    let how = format!(
        "export {TOKEN_VARIABLE}=<a long random secret>, the same for the server and its \
         clients (for example: export {TOKEN_VARIABLE}=$(openssl rand -hex 16))"
    );
    let token = match value {
        Ok(token) => token.trim().to_string(),
        Err(VarError::NotPresent) => String::new(),
        Err(VarError::NotUnicode(_)) => anyhow::bail!("{TOKEN_VARIABLE} is not text: {how}"),
    };
    if token.is_empty() {
        anyhow::bail!("{TOKEN_VARIABLE} is not set: {how}");
    }
    if let Some(bad) = token.chars().find(|c| !(c.is_ascii_graphic() || *c == ' ')) {
        let bad = match bad {
            '\n' | '\r' => "a line break".to_string(),
            bad => format!("{bad:?}"),
        };
        anyhow::bail!(
            "{TOKEN_VARIABLE} holds {bad}, which an HTTP header cannot carry (visible ASCII \
             characters only): {how}"
        );
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(value: Result<&str, VarError>) -> String {
        match token(value.map(str::to_string)) {
            Ok(token) => format!("token: {token}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn a_token_is_set_and_fits_in_a_header() {
        assert_eq!(said(Ok(" s3cret ")), "token: s3cret");
        assert!(said(Err(VarError::NotPresent)).starts_with("FLIGHT_TOKEN is not set: export"));
        assert!(said(Ok("  ")).starts_with("FLIGHT_TOKEN is not set"));
        assert!(said(Ok("tökén")).starts_with("FLIGHT_TOKEN holds 'ö', which an HTTP header"));
        assert!(said(Ok("a\nb")).starts_with("FLIGHT_TOKEN holds a line break"));
        assert!(!said(Ok("a\nb")).contains('\n'));
    }
}
