//! Which files of the certificate's folder this program made, and may make
//! again: `made-by-flight-path` beside them holds the SHA-256 of each file
//! as it was written. A file that matches is ours; any other is the user's
//! (theirs from the start, or changed since), and the user's files are never
//! replaced, unless asked (`--new-certificate`).

use std::fs;
use std::path::Path;

use anyhow::Context;

/// The record's name, in the certificate's folder.
pub(crate) const RECORD: &str = "made-by-flight-path";

/// The hashes this program recorded when it wrote the files.
pub(crate) struct Made {
    lines: Vec<String>,
}

impl Made {
    /// What `dir` records; nothing if there is no record.
    pub(crate) fn read(dir: &Path) -> Made {
        let text = fs::read_to_string(dir.join(RECORD)).unwrap_or_default();
        Made {
            lines: text.lines().map(str::to_string).collect(),
        }
    }

    /// Whether `file`, holding `text`, is as this program wrote it.
    pub(crate) fn wrote(&self, file: &Path, text: &str) -> bool {
        self.lines.contains(&line(file, text))
    }

    /// Records `files` (path and text) as written by this program, before
    /// they are: interrupted, a run leaves files that are still ours.
    pub(crate) fn record(dir: &Path, files: &[(&Path, &str)]) -> anyhow::Result<()> {
        let record: String = files
            .iter()
            .map(|(file, text)| line(file, text) + "\n")
            .collect();
        let path = dir.join(RECORD);
        fs::write(&path, record).with_context(|| format!("cannot write {}", path.display()))
    }
}

/// `server.key sha256:<hex>`
fn line(file: &Path, text: &str) -> String {
    let name = file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("{name} sha256:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_ours_while_it_holds_what_we_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("server.key");
        Made::record(dir.path(), &[(&key, "secret")]).unwrap();
        let made = Made::read(dir.path());
        assert!(made.wrote(&key, "secret"));
        assert!(!made.wrote(&key, "secret, changed"));
        assert!(!made.wrote(&dir.path().join("server.crt"), "secret"));
        assert!(!Made::read(&dir.path().join("elsewhere")).wrote(&key, "secret"));
    }
}
