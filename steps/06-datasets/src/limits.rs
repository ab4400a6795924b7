//! The limits of a server that stores what strangers send: each a flag with
//! its default, each refused with RESOURCE_EXHAUSTED and a sentence.

use futures::stream::{BoxStream, StreamExt};
use tonic::Status;

use arrow_flight::FlightData;

const GIB: u64 = 1 << 30;

// ANCHOR: limits
/// How much the datasets may take.
#[derive(clap::Args, Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreLimits {
    /// Bytes one upload may send (its Arrow data as it travels): 4GiB by default.
    /// Sizes take a unit: 512MiB, 4GiB, or bytes.
    #[arg(long, default_value = "4GiB", value_parser = bytes)]
    pub max_upload_bytes: u64,
    /// Bytes the stored datasets may take on disk: no new upload starts beyond it.
    /// One upload adds about its own size (Parquet is seldom bigger than the Arrow
    /// data it holds), so the disk holds at most this plus the uploads in progress.
    #[arg(long, default_value = "16GiB", value_parser = bytes)]
    pub max_disk_bytes: u64,
    /// Datasets the server may hold; a new version of one does not count.
    #[arg(long, default_value_t = 1000)]
    pub max_datasets: usize,
    /// Uploads at once: each holds a row group in memory and writes to disk.
    #[arg(long, default_value_t = 4,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_concurrent_uploads: u32,
}
// ANCHOR_END: limits

impl StoreLimits {
    /// Whether an upload of `name` may start, with `names` stored, taking
    /// `used` bytes.
    pub fn check_room(&self, names: &[String], name: &str, used: u64) -> Result<(), Status> {
        let is_new = !names.iter().any(|n| n == name);
        if is_new && names.len() >= self.max_datasets {
            return Err(Status::resource_exhausted(format!(
                "the server holds {} datasets, its limit (--max-datasets): drop one first \
                 (do_action drop_dataset), or replace one by uploading under its name",
                names.len()
            )));
        }
        if used >= self.max_disk_bytes {
            return Err(Status::resource_exhausted(format!(
                "the datasets take {used} bytes on disk, the server's limit of {} \
                 (--max-disk-bytes): drop some first (do_action drop_dataset)",
                self.max_disk_bytes
            )));
        }
        Ok(())
    }

    /// `messages`, ended by RESOURCE_EXHAUSTED once they carry more than
    /// `--max-upload-bytes`.
    pub fn bounded(
        &self,
        messages: BoxStream<'static, Result<FlightData, Status>>,
    ) -> BoxStream<'static, Result<FlightData, Status>> {
        let limit = self.max_upload_bytes;
        messages
            .scan(Some(0u64), move |received, message| {
                // After a refusal (None), nothing more is read.
                let Some(so_far) = received else {
                    return futures::future::ready(None);
                };
                let message = message.and_then(|data| {
                    *so_far += (data.data_header.len() + data.data_body.len()) as u64;
                    if *so_far > limit {
                        return Err(Status::resource_exhausted(format!(
                            "the upload is over the server's limit of {limit} bytes \
                             (--max-upload-bytes): split it into several datasets"
                        )));
                    }
                    Ok(data)
                });
                if message.is_err() {
                    *received = None;
                }
                futures::future::ready(Some(message))
            })
            .boxed()
    }
}

impl Default for StoreLimits {
    fn default() -> Self {
        StoreLimits {
            max_upload_bytes: 4 * GIB,
            max_disk_bytes: 16 * GIB,
            max_datasets: 1000,
            max_concurrent_uploads: 4,
        }
    }
}

/// A size in bytes as a command line gives it: `4GiB`, `512MiB`, `64KiB`, `1000`.
pub fn bytes(text: &str) -> Result<u64, String> {
    let units = [
        ("GiB", GIB),
        ("MiB", 1 << 20),
        ("KiB", 1 << 10),
        ("B", 1),
        ("", 1),
    ];
    let (number, unit) = units
        .iter()
        .find_map(|&(suffix, unit)| Some((text.strip_suffix(suffix)?, unit)))
        .unwrap_or((text, 1));
    number
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .filter(|&n| n > 0)
        .ok_or_else(|| {
            format!("'{text}' is not a size: give bytes, or a number with KiB, MiB or GiB")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_units() {
        assert_eq!(bytes("4GiB"), Ok(4 * GIB));
        assert_eq!(bytes("512MiB"), Ok(512 << 20));
        assert_eq!(bytes("1000"), Ok(1000));
        for bad in ["", "0", "-1", "4GB", "lots", "99999999999GiB"] {
            assert!(bytes(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_new_dataset_beyond_the_count_or_the_disk_is_refused() {
        let limits = StoreLimits {
            max_datasets: 1,
            max_disk_bytes: 100,
            ..StoreLimits::default()
        };
        let stored = ["a".to_string()];
        assert!(limits.check_room(&stored, "a", 0).is_ok());
        let full = limits.check_room(&stored, "b", 0).unwrap_err();
        assert_eq!(full.code(), tonic::Code::ResourceExhausted);
        let disk = limits.check_room(&stored, "a", 100).unwrap_err();
        assert!(disk.message().contains("--max-disk-bytes"), "{disk}");
    }
}
