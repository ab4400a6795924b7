//! Dataset names. A name comes from the network and becomes a file name:
//! it is checked before it is joined to a path, so that no name can write
//! outside the data directory.

use kit::TICKET;
use tonic::Status;

/// The longest name, in bytes: short enough for any file system once
/// `.parquet` is added.
pub const MAX_NAME_BYTES: usize = 128;

/// What a good name is, said in every refusal.
const RULE: &str = "a dataset name is one word of letters, digits, '-', '_' and '.', \
                    not starting with '.', at most 128 bytes";

/// `name` if it can name a stored dataset; INVALID_ARGUMENT with a sentence
/// otherwise. Refused: empty names, `..` and anything with a `/` (a path,
/// absolute or not), hidden names (`.x`: the server's own files), bytes that
/// are not printable, names over [`MAX_NAME_BYTES`], and `dataset`, the page's
/// table, which lives in memory and can be neither replaced nor dropped.
pub fn check(name: &str) -> Result<&str, Status> {
    let shown: String = name.chars().take(MAX_NAME_BYTES).collect();
    let shown = shown.escape_debug();
    if name == TICKET {
        return Err(Status::invalid_argument(format!(
            "\"{TICKET}\" is the page's table, served from memory: it can be neither \
             replaced nor dropped; choose another name"
        )));
    }
    if name.is_empty() {
        return Err(Status::invalid_argument(format!(
            "the dataset name is empty: {RULE}"
        )));
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(Status::invalid_argument(format!(
            "the dataset name \"{shown}...\" is {} bytes long: {RULE}",
            name.len()
        )));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if name.starts_with('.') || !name.chars().all(allowed) {
        return Err(Status::invalid_argument(format!(
            "the dataset name \"{shown}\" is refused: {RULE}"
        )));
    }
    Ok(name)
}

/// The name a descriptor gives: its path, of one element (`for_path("trips")`).
pub fn from_path(path: &[String]) -> Result<&str, Status> {
    match path {
        [name] => check(name),
        _ => Err(Status::invalid_argument(format!(
            "the descriptor's path has {} elements: name the dataset with one, \
             FlightDescriptor.for_path(\"trips\")",
            path.len()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_pass() {
        for name in ["trips", "uploaded.parquet", "2024-01_v2", &"x".repeat(128)] {
            assert_eq!(check(name).ok(), Some(name));
        }
    }

    #[test]
    fn names_that_could_leave_the_folder_or_hide_are_refused() {
        let long = "x".repeat(129);
        for name in [
            "",
            "..",
            ".",
            "../x",
            "/etc/passwd",
            "a/b",
            "a\\b",
            ".uploads",
            "a\0b",
            "tab\t",
            "é",
            "dataset",
            &long,
        ] {
            let status = check(name).unwrap_err();
            assert_eq!(status.code(), tonic::Code::InvalidArgument, "{name:?}");
        }
    }

    #[test]
    fn a_path_names_one_dataset() {
        assert_eq!(from_path(&["trips".into()]).ok(), Some("trips"));
        assert!(from_path(&[]).is_err());
        assert!(from_path(&["a".into(), "b".into()]).is_err());
    }
}
