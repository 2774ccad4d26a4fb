//! The headers certcheck's HTTP client adds to every request, beside the request's own: sent by
//! `http.rs`, printed by `--dry-run` (`output.rs`).

/// `user-agent` sent with every request.
pub(crate) fn user_agent() -> String {
    format!("certcheck/{}", env!("CARGO_PKG_VERSION"))
}

/// `accept` sent with every request.
pub(crate) const ACCEPT: &str = "application/json";
