//! Step 5's shared secret, from the environment.

/// The environment variable that holds the token, for the server and the client.
pub const TOKEN_VARIABLE: &str = "FLIGHT_TOKEN";

/// The token from the environment, or a line that says how to set it.
pub fn token_from_env() -> anyhow::Result<String> {
    match std::env::var(TOKEN_VARIABLE) {
        Ok(token) if !token.trim().is_empty() => Ok(token.trim().to_string()),
        _ => anyhow::bail!(
            "{TOKEN_VARIABLE} is not set: export {TOKEN_VARIABLE}=<a long random secret>, the same for the server and its clients (for example: export {TOKEN_VARIABLE}=$(openssl rand -hex 16))"
        ),
    }
}
