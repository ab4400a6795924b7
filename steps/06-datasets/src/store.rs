//! The data directory: one Parquet file per dataset, `<name>.parquet`, and
//! a hidden folder, `.uploads`, for the uploads in progress.
//!
//! An upload is written into a temporary file of `.uploads`, and renamed to
//! its dataset's name only once it is whole: a rename within one file
//! system is atomic, so a reader opens either the old file or the new one,
//! never half of one. An upload that fails, or a server killed mid-upload,
//! leaves only a temporary file, removed when the upload is dropped or, after
//! a crash, when the server starts again.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use tonic::Status;

use crate::limits::StoreLimits;

/// Where uploads in progress are written, inside the data directory.
const UPLOADS: &str = ".uploads";

/// The file that says a folder is a data directory this server made: the
/// server never writes into, nor deletes from, a folder of someone else's.
const MARKER: &str = ".flight-path-datasets";

/// Every dataset's file ends so.
const EXTENSION: &str = ".parquet";

/// The data directory and its limits.
pub struct Store {
    dir: PathBuf,
    limits: StoreLimits,
}

impl Store {
    /// Opens `dir`, made (with its marker) if missing or empty; refuses a
    /// folder that holds files of someone else's. Removes the uploads a
    /// crash left behind: one server per data directory, or it would remove
    /// another's uploads in progress.
    pub fn open(dir: &Path, limits: StoreLimits) -> anyhow::Result<Store> {
        let shown = dir.display();
        let marker = dir.join(MARKER);
        if !marker.exists() {
            fs::create_dir_all(dir).with_context(|| format!("cannot make the folder {shown}"))?;
            let empty = fs::read_dir(dir)
                .with_context(|| format!("cannot read the folder {shown}"))?
                .next()
                .is_none();
            if !empty {
                bail!(
                    "--data-dir {shown} holds files this server did not make (it has no {MARKER}): \
                     give it a new or empty folder, so that no file of yours is replaced or deleted"
                );
            }
            File::create(&marker).with_context(|| format!("cannot write in {shown}"))?;
        }
        let uploads = dir.join(UPLOADS);
        fs::create_dir_all(&uploads)
            .with_context(|| format!("cannot make the folder {}", uploads.display()))?;
        let mut orphans = 0;
        let listed = fs::read_dir(&uploads);
        for entry in listed.with_context(|| format!("cannot read {}", uploads.display()))? {
            let path = entry.context("cannot read the uploads folder")?.path();
            fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
            orphans += 1;
        }
        if orphans > 0 {
            tracing::warn!("Removed {orphans} unfinished upload(s) left by an earlier run");
        }
        Ok(Store {
            dir: dir.to_path_buf(),
            limits,
        })
    }

    /// The file of dataset `name`, which must have passed `names::check`:
    /// this joins it to the folder as it is.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}{EXTENSION}"))
    }

    /// The stored datasets' names, sorted.
    pub fn names(&self) -> io::Result<Vec<String>> {
        let mut names = Vec::new();
        for entry in fs::read_dir(&self.dir)? {
            let file_name = entry?.file_name();
            let Some(name) = file_name.to_str().and_then(|n| n.strip_suffix(EXTENSION)) else {
                continue;
            };
            if crate::names::check(name).is_ok() {
                names.push(name.to_string());
            }
        }
        names.sort();
        Ok(names)
    }

    /// A temporary file for an upload of dataset `name`, within the limits:
    /// at most `--max-datasets` datasets (a new version of one does not
    /// count), and none while the datasets fill `--max-disk-bytes`.
    pub fn new_upload(&self, name: &str) -> Result<Upload, Status> {
        let names = self.names().map_err(internal)?;
        self.limits.check_room(&names, name, self.disk_used()?)?;
        // A new file of a name of its own, deleted when dropped.
        let file = tempfile::Builder::new()
            .suffix(EXTENSION)
            .tempfile_in(self.dir.join(UPLOADS))
            .map_err(internal)?;
        Ok(Upload {
            file,
            name: name.to_string(),
        })
    }

    /// Makes `upload` its dataset: on disk first, then under its name, in
    /// place of any earlier version, in one atomic rename. Two uploads of one
    /// name: the last rename wins.
    pub fn publish(&self, upload: Upload) -> Result<(), Status> {
        // The data reaches the disk before the name points at it: after a
        // power cut, the name gives the old file or the whole new one.
        upload.file.as_file().sync_all().map_err(internal)?;
        upload
            .file
            .persist(self.path(&upload.name))
            .map_err(|error| internal(error.error))?;
        // The rename itself is on disk once the folder is.
        File::open(&self.dir)
            .and_then(|dir| dir.sync_all())
            .map_err(internal)?;
        Ok(())
    }

    /// Deletes dataset `name`; false if there is none.
    pub fn remove(&self, name: &str) -> Result<bool, Status> {
        match fs::remove_file(self.path(name)) {
            Ok(()) => Ok(true),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(internal(error)),
        }
    }

    /// The bytes the stored datasets take on disk.
    fn disk_used(&self) -> Result<u64, Status> {
        let mut used = 0;
        for name in self.names().map_err(internal)? {
            used += fs::metadata(self.path(&name)).map_or(0, |m| m.len());
        }
        Ok(used)
    }
}

/// An upload in progress: its temporary file, deleted when dropped unless
/// it was published. So every way an upload can fail (an error, a client
/// that leaves, a stream cut) leaves no trace.
pub struct Upload {
    file: tempfile::NamedTempFile,
    name: String,
}

impl Upload {
    /// A handle on the temporary file, for the Parquet writer.
    pub fn file(&self) -> Result<File, Status> {
        self.file.as_file().try_clone().map_err(internal)
    }
}

/// A failure of the server's own disk: INTERNAL, the client is not to blame.
pub fn internal(error: impl std::fmt::Display) -> Status {
    tracing::error!("data directory: {error}");
    Status::internal(format!(
        "the server could not use its data directory: {error}"
    ))
}
