//! Step 6: upload and share. The step's server runs as a real process with
//! a data directory of its own. The checks' upload client pauses an upload
//! to look at the folder meanwhile, sends a table of many batches and reads
//! it back, compares its description with the file, cuts uploads, sends an
//! empty table, bad names and a second schema; the step's upload program
//! runs; and the server starts again on the same folder.

use std::cell::RefCell;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use arrow::array::Float64Array;
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use harness::Server;
use kit::Table;
use parquet::basic::Compression;
use parquet::file::reader::{FileReader, SerializedFileReader};
use tonic::Code;

use crate::reference::{FetchError, fetch, page_table};
use crate::report::is_one_error_line;
use crate::table::{indent, rows_problem, schema_problem};
use crate::uploads::{Uploads, names};
use crate::{Check, Mistake, Outcome, self_check};

const PUT: &str = "src/put.rs";
const INFO: &str = "src/info.rs";

/// Rows of the upload of many batches: three row groups of the model
/// answer's 256 Ki rows, the last one partial.
const MANY_ROWS: usize = 600_000;
/// Rows of the paused upload sent before the pause: a few row groups.
const BEFORE_PAUSE: usize = 2_000_000;
/// Rows per batch of the checks' uploads, as the page's table has them.
const BATCH_ROWS: usize = 65_536;
/// The rows of a row group the server's writer holds at most (the step's
/// given `ROW_GROUP_ROWS`).
const ROW_GROUP_ROWS: i64 = 256 * 1024;
/// How long the server may take to write what it was sent, or to clean up.
const PATIENCE: Duration = Duration::from_secs(30);

/// The self-check of step 6, for the crate in `crate_dir` and its two binaries.
pub fn check(crate_dir: &str, server_binary: &str, upload_binary: &str) -> ExitCode {
    let server_binary = Path::new(server_binary);
    let upload_binary = Path::new(upload_binary);
    let folder = match tempfile::Builder::new()
        .prefix("flight-path-step6-")
        .tempdir()
    {
        Ok(folder) => folder,
        Err(error) => {
            eprintln!("error: cannot make a scratch folder for the check: {error}");
            return ExitCode::FAILURE;
        }
    };
    let data = folder.path().join("data");
    let server: RefCell<Option<(Server, Uploads)>> = RefCell::new(None);
    let with_server = |check: &dyn Fn(&Uploads) -> Outcome| match server.borrow().as_ref() {
        Some((_, uploads)) => check(uploads),
        None => Err(Mistake::new(PUT, "the server is not running")),
    };
    self_check(
        6,
        crate_dir,
        vec![
            Check::new("the server starts on its data directory", || {
                *server.borrow_mut() = Some(start(server_binary, &data)?);
                Ok(())
            }),
            Check::new("an upload is written as it arrives, out of sight", || {
                with_server(&|uploads| written_as_it_arrives(uploads, &data))
            }),
            Check::new(
                "an upload of many batches is stored, and reads back the same",
                || with_server(&|uploads| many_batches(uploads, &data)),
            ),
            Check::new(
                "total_records and total_bytes describe what is stored",
                || with_server(&|uploads| described(uploads, &data)),
            ),
            Check::new(
                "a cut upload leaves nothing, and the previous version whole",
                || with_server(&|uploads| a_cut_upload_leaves_nothing(uploads, &data)),
            ),
            Check::new("an empty upload keeps its schema", || {
                with_server(&|uploads| an_empty_upload_keeps_its_schema(uploads))
            }),
            Check::new("a name that escapes the data directory is refused", || {
                with_server(&|uploads| names_are_checked(uploads, folder.path()))
            }),
            Check::new("a second schema in one upload is refused", || {
                with_server(&|uploads| a_second_schema_is_refused(uploads))
            }),
            Check::new("the upload program stores a table", || {
                with_server(&|uploads| the_upload_program_stores(uploads, upload_binary))
            }),
            Check::new("a restart serves every dataset stored before", || {
                let Some((running, uploads)) = server.borrow_mut().take() else {
                    return Err(Mistake::new(PUT, "the server is not running"));
                };
                let before = uploads.list().map_err(|s| listing_failed(&s))?;
                running.stop().map_err(|e| {
                    Mistake::new(PUT, format!("the server did not stop on SIGTERM: {e:#}"))
                })?;
                let (_again, uploads) = start(server_binary, &data)?;
                let after = uploads.list().map_err(|s| listing_failed(&s))?;
                if names(&after) != names(&before) {
                    return Err(Mistake::new(
                        INFO,
                        format!(
                            "before the restart, list_flights gave {:?}; after, {:?}: \
                             what is stored is listed from the data directory",
                            names(&before),
                            names(&after)
                        ),
                    ));
                }
                Ok(())
            }),
        ],
    )
}

/// Starts the server on a free port and `data`, and its client.
fn start(binary: &Path, data: &Path) -> Result<(Server, Uploads), Mistake> {
    let data = data.to_string_lossy();
    let args = ["--host", "127.0.0.1", "--port", "0", "--data-dir", &data];
    let server = Server::start(binary, &args).map_err(|error| {
        Mistake::new(
            PUT,
            format!(
                "started with `--port 0 --data-dir {data}`, the server did not start: {error:#}"
            ),
        )
    })?;
    let uploads = Uploads::new(server.port);
    Ok((server, uploads))
}

/// The page's table of `rows` rows, in batches of [`BATCH_ROWS`].
fn table(rows: usize) -> Table {
    page_table(rows, BATCH_ROWS)
}

/// A stored dataset's file, as the given store names it.
fn file_of(data: &Path, name: &str) -> PathBuf {
    data.join(format!("{name}.parquet"))
}

/// The files of the uploads folder, with their sizes.
fn uploads_in_progress(data: &Path) -> Vec<(PathBuf, u64)> {
    fs::read_dir(data.join(".uploads"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| {
                    let size = entry.metadata().map_or(0, |m| m.len());
                    (entry.path(), size)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Waits, up to [`PATIENCE`], until `done` holds; whether it did.
fn eventually(mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        // Looking at a folder: nothing to wait on but time.
        thread::sleep(Duration::from_millis(20));
    }
    done()
}

fn upload_failed(what: &str, status: &tonic::Status) -> Mistake {
    let failed = format!(
        "{what}: do_put failed with {:?}: \"{}\"",
        status.code(),
        status.message()
    );
    if status.message().contains("prior to Schema") {
        return Mistake::new(
            PUT,
            format!(
                "{failed}: the decoder met a record batch before any schema, because the \
                 first message (the schema, with the descriptor) was taken off the stream \
                 and not put back in front of the rest: decode it too"
            ),
        );
    }
    Mistake::new(PUT, failed)
}

fn listing_failed(status: &tonic::Status) -> Mistake {
    Mistake::new(
        INFO,
        format!(
            "list_flights failed with {:?}: \"{}\"",
            status.code(),
            status.message()
        ),
    )
}

/// Reads `name` back and compares it with the page's table of `rows` rows.
fn reads_back(url: &str, name: &str, rows: usize) -> Outcome {
    let fetched = fetch(url, name.as_bytes()).map_err(|error| {
        let why = match error {
            FetchError::Status(status) => {
                format!("{:?}: \"{}\"", status.code(), status.message())
            }
            FetchError::Connect(why) | FetchError::Other(why) => why,
        };
        Mistake::new(
            PUT,
            format!("the upload was stored, but reading \"{name}\" back failed: {why}"),
        )
    })?;
    let schema = fetched
        .schema
        .ok_or_else(|| Mistake::new(PUT, format!("\"{name}\" read back carries no schema")))?;
    if let Some(problem) = schema_problem(&schema) {
        return Err(Mistake::new(
            PUT,
            format!("\"{name}\" read back: {problem}"),
        ));
    }
    if let Some(problem) = rows_problem(&fetched.batches, rows) {
        return Err(Mistake::new(
            PUT,
            format!("\"{name}\" was uploaded with {rows} rows; read back, it has {problem}"),
        ));
    }
    Ok(())
}

fn many_batches(uploads: &Uploads, data: &Path) -> Outcome {
    let answers = uploads
        .put("many", &table(MANY_ROWS))
        .map_err(|status| upload_failed("an upload of many batches", &status))?;
    has_a_footer(&file_of(data, "many"))?;
    written_in_bounded_compressed_row_groups(&file_of(data, "many"))?;
    reads_back(&uploads.url(), "many", MANY_ROWS)?;
    let said: Vec<_> = answers
        .iter()
        .map(|answer| String::from_utf8_lossy(&answer.app_metadata).into_owned())
        .collect();
    if !said
        .iter()
        .any(|said| said.contains(&MANY_ROWS.to_string()))
    {
        return Err(Mistake::new(
            PUT,
            format!(
                "an upload of {MANY_ROWS} rows was stored, and answered {said:?}: answer a \
                 PutResult whose app_metadata says the rows stored, {{\"rows\": {MANY_ROWS}}}"
            ),
        ));
    }
    Ok(())
}

/// The stored file as a server of bounded memory writes it: row groups of
/// at most [`ROW_GROUP_ROWS`] rows (the writer holds one in memory until it
/// is full), compressed as pyarrow's writer compresses by default.
fn written_in_bounded_compressed_row_groups(path: &Path) -> Outcome {
    let footer = fs::File::open(path)
        .map_err(|error| error.to_string())
        .and_then(|file| {
            SerializedFileReader::new(file)
                .map(|reader| reader.metadata().clone())
                .map_err(|error| error.to_string())
        })
        .map_err(|why| {
            Mistake::new(
                PUT,
                format!("the footer of {} cannot be read: {why}", path.display()),
            )
        })?;
    let largest = footer
        .row_groups()
        .iter()
        .map(|group| group.num_rows())
        .max()
        .unwrap_or(0);
    if largest > ROW_GROUP_ROWS {
        return Err(Mistake::new(
            PUT,
            format!(
                "{} holds a row group of {largest} rows: the writer kept them all in memory \
                 before writing them (ArrowWriter's default is 1,048,576 rows, whatever their \
                 size); give it the given ROW_GROUP_ROWS and ROW_GROUP_BYTES \
                 (WriterProperties), so that an upload takes one small row group of memory",
                path.display()
            ),
        ));
    }
    let columns = footer.row_groups().iter().flat_map(|group| group.columns());
    if let Some(column) = columns
        .into_iter()
        .find(|column| column.compression() != Compression::SNAPPY)
    {
        return Err(Mistake::new(
            PUT,
            format!(
                "{} is written with {:?} compression, where pyarrow's writer uses Snappy by \
                 default (parquet's ArrowWriter uses none: the file is larger than the Arrow \
                 data); set_compression(Compression::SNAPPY) in its WriterProperties",
                path.display(),
                column.compression()
            ),
        ));
    }
    Ok(())
}

/// A Parquet file ends with its footer, then `PAR1`: without them, no
/// reader can open it.
fn has_a_footer(path: &Path) -> Outcome {
    let bytes = fs::read(path).map_err(|error| {
        Mistake::new(
            PUT,
            format!(
                "the upload was answered, but {} cannot be read ({error}): store it \
                 with the given store.publish, which renames the finished file there",
                path.display()
            ),
        )
    })?;
    if bytes.len() < 12 || !bytes.ends_with(b"PAR1") {
        return Err(Mistake::new(
            PUT,
            format!(
                "the stored file {} has no Parquet footer ({} bytes, not ending with PAR1): \
                 no reader can open it; close the writer (ArrowWriter::close writes the \
                 footer) before the file is published",
                path.display(),
                bytes.len()
            ),
        ));
    }
    Ok(())
}

fn described(uploads: &Uploads, data: &Path) -> Outcome {
    let info = uploads.info("many").map_err(|status| {
        Mistake::new(
            INFO,
            format!(
                "get_flight_info of \"many\" failed with {:?}: \"{}\"",
                status.code(),
                status.message()
            ),
        )
    })?;
    if info.total_records != MANY_ROWS as i64 {
        return Err(Mistake::new(
            INFO,
            format!(
                "get_flight_info of \"many\" says total_records {}; it holds {MANY_ROWS} rows, \
                 in several row groups: the footer's count of the whole file is the one to give",
                info.total_records
            ),
        ));
    }
    let size = fs::metadata(file_of(data, "many")).map_or(0, |m| m.len());
    if info.total_bytes != size as i64 {
        return Err(Mistake::new(
            INFO,
            format!(
                "get_flight_info of \"many\" says total_bytes {}; its file takes {size} bytes \
                 on disk, the number to give",
                info.total_bytes
            ),
        ));
    }
    if info.schema.is_empty() {
        return Err(Mistake::new(
            INFO,
            "the FlightInfo of \"many\" carries no schema: give it the footer's \
             (FlightInfo::try_with_schema)",
        ));
    }
    let schema = info.clone().try_decode_schema().map_err(|error| {
        Mistake::new(
            INFO,
            format!("the flight info's schema cannot be read: {error}"),
        )
    })?;
    if let Some(problem) = schema_problem(&schema) {
        return Err(Mistake::new(
            INFO,
            format!("the flight info's schema: {problem}"),
        ));
    }
    let flights = uploads.list().map_err(|s| listing_failed(&s))?;
    let listed = flights.iter().find(|f| {
        f.flight_descriptor
            .as_ref()
            .is_some_and(|d| d.path == ["many"])
    });
    match listed {
        Some(listed) if listed.total_records == info.total_records => Ok(()),
        Some(listed) => Err(Mistake::new(
            INFO,
            format!(
                "list_flights says \"many\" has total_records {}, get_flight_info {}: \
                 describe each dataset the same way in both",
                listed.total_records, info.total_records
            ),
        )),
        None if flights.iter().any(|f| f.flight_descriptor.is_none()) => Err(Mistake::new(
            INFO,
            "list_flights gave FlightInfos without a descriptor: a client knows a dataset \
             by its descriptor's path, [name] (FlightInfo::with_descriptor)",
        )),
        None => Err(Mistake::new(
            INFO,
            format!(
                "list_flights does not list \"many\", which is stored: it lists {:?}",
                names(&flights)
            ),
        )),
    }?;
    described_from_the_footer_alone(uploads, data)
}

/// A copy of "many" whose data pages are garbage, and its footer whole, is
/// described all the same: a description reads the footer, never the data.
fn described_from_the_footer_alone(uploads: &Uploads, data: &Path) -> Outcome {
    let torn = file_of(data, "torn");
    let mut bytes =
        fs::read(file_of(data, "many")).map_err(|e| Mistake::new(PUT, e.to_string()))?;
    // A Parquet file: PAR1, the data, the footer, its length (4 bytes), PAR1.
    let length = bytes.len();
    let footer = u32::from_le_bytes([
        bytes[length - 8],
        bytes[length - 7],
        bytes[length - 6],
        bytes[length - 5],
    ]) as usize;
    let data_pages = 4..length.saturating_sub(8 + footer);
    bytes[data_pages].fill(0xFF);
    fs::write(&torn, &bytes).map_err(|e| Mistake::new(PUT, e.to_string()))?;
    let info = uploads.info("torn");
    fs::remove_file(&torn).ok();
    match info {
        Ok(info) if info.total_records == MANY_ROWS as i64 => Ok(()),
        Ok(info) => Err(Mistake::new(
            INFO,
            format!(
                "a dataset of {MANY_ROWS} rows, whose data pages cannot be read, is described \
                 with total_records {}: read only the footer, and count the rows from it",
                info.total_records
            ),
        )),
        Err(status) => Err(Mistake::new(
            INFO,
            format!(
                "a dataset whose footer is whole, and its data pages not, cannot be described \
                 ({:?}: \"{}\"): the description reads the data; read only the footer \
                 (the reader builder's metadata), never the rows",
                status.code(),
                status.message()
            ),
        )),
    }
}

/// Sends [`BEFORE_PAUSE`] rows and holds the upload open: by then the
/// server must have written them to a temporary file of `.uploads`, and
/// nothing under the dataset's name.
fn written_as_it_arrives(uploads: &Uploads, data: &Path) -> Outcome {
    let messages = uploads.messages("paused", &table(BEFORE_PAUSE));
    let pending = uploads.start(messages);
    let mut in_place = false;
    let mut written = false;
    eventually(|| {
        in_place = file_of(data, "paused").exists();
        let sizes = uploads_in_progress(data);
        written = sizes.iter().any(|(_, size)| *size >= 1 << 20);
        in_place || written || pending.answered()
    });
    let held = uploads_in_progress(data);
    let answered_early = pending.answered();
    let answer = uploads.finish(pending, Vec::new());
    if answered_early && !in_place && !written {
        let status = answer.err().unwrap_or_else(|| {
            tonic::Status::ok("it answered before the upload ended, and stored nothing")
        });
        return Err(upload_failed("an upload that paused", &status));
    }
    if in_place {
        return Err(Mistake::new(
            PUT,
            format!(
                "while the upload of \"paused\" was still going on, {} was already there \
                 (writing in place): a reader would open a torn file, and a cut upload would \
                 leave one; write into the upload's temporary file (Upload::file) and let \
                 store.publish rename it once the upload is whole",
                file_of(data, "paused").display()
            ),
        ));
    }
    if !written {
        return Err(Mistake::new(
            PUT,
            format!(
                "after {BEFORE_PAUSE} rows (32 MB) of an upload that goes on, the server had \
                 written nothing to disk (uploads in progress: {held:?}): it holds the whole \
                 upload in memory (collecting the whole stream before writing), which a big \
                 enough upload makes it run out of; write each batch as it arrives"
            ),
        ));
    }
    answer.map_err(|status| upload_failed("an upload that paused", &status))?;
    Ok(())
}

fn a_cut_upload_leaves_nothing(uploads: &Uploads, data: &Path) -> Outcome {
    for name in ["cut", "many"] {
        let messages = uploads.messages(name, &table(BEFORE_PAUSE));
        let pending = uploads.start(messages);
        let mut in_place = false;
        let started = eventually(|| {
            in_place = name == "cut" && file_of(data, name).exists();
            in_place || !uploads_in_progress(data).is_empty() || pending.answered()
        });
        if pending.answered() && !in_place {
            let answer = uploads.finish(pending, Vec::new());
            let status = answer
                .err()
                .unwrap_or_else(|| tonic::Status::ok("it answered before the upload ended"));
            return Err(upload_failed("an upload cut mid-stream", &status));
        }
        uploads.cut(pending);
        if in_place {
            return Err(Mistake::new(
                PUT,
                format!(
                    "while the upload of \"cut\" was still going on, {} was already there \
                     (writing in place): write into the upload's temporary file (Upload::file) \
                     and let store.publish rename it once the upload is whole",
                    file_of(data, name).display()
                ),
            ));
        }
        if !started {
            return Err(Mistake::new(
                PUT,
                "an upload went on for a while and no temporary file appeared in .uploads: \
                 make one with store.new_upload, and write into it",
            ));
        }
        let cleaned = eventually(|| uploads_in_progress(data).is_empty());
        if !cleaned {
            return Err(Mistake::new(
                PUT,
                format!(
                    "an upload of \"{name}\" was cut by its client, and its temporary file \
                     stayed: {:?}; end do_put when the stream fails (return the error), so \
                     that the upload is dropped, and its file with it",
                    uploads_in_progress(data)
                ),
            ));
        }
    }
    if file_of(data, "cut").exists() {
        return Err(Mistake::new(
            PUT,
            "an upload of \"cut\" was cut by its client, and yet \"cut\" was stored: publish \
             an upload only once its stream has ended well",
        ));
    }
    // The earlier version of "many" is still there, whole.
    reads_back(&uploads.url(), "many", MANY_ROWS)
}

fn an_empty_upload_keeps_its_schema(uploads: &Uploads) -> Outcome {
    uploads
        .put("empty", &table(0))
        .map_err(|status| upload_failed("an upload of a schema and no batch", &status))?;
    let info = uploads.info("empty").map_err(|status| {
        Mistake::new(
            INFO,
            format!(
                "an empty upload was stored, but get_flight_info of \"empty\" failed with \
                 {:?}: \"{}\"",
                status.code(),
                status.message()
            ),
        )
    })?;
    if info.total_records != 0 {
        return Err(Mistake::new(
            INFO,
            format!(
                "\"empty\" holds no row, yet total_records is {}",
                info.total_records
            ),
        ));
    }
    reads_back(&uploads.url(), "empty", 0).map_err(|mistake| {
        Mistake::new(
            PUT,
            format!(
                "{}\nan upload with no batch still has its schema: open the Parquet writer \
                 with the schema message, before any batch",
                mistake.problem
            ),
        )
    })
}

/// The files under `folder`, as paths from it, sorted.
fn files_under(folder: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut todo = vec![folder.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path.clone());
            }
            if let Ok(relative) = path.strip_prefix(folder) {
                found.push(relative.to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

fn names_are_checked(uploads: &Uploads, folder: &Path) -> Outcome {
    let before = files_under(folder);
    let outside = folder.join("escaped");
    let absolute = outside.to_string_lossy().into_owned();
    let long = "x".repeat(200);
    for name in ["../escaped", &absolute, "", ".uploads", "tab\tname", &long] {
        match uploads.put(name, &table(10)) {
            Err(status) if status.code() == Code::InvalidArgument => {}
            Err(status) => {
                return Err(Mistake::new(
                    PUT,
                    format!(
                        "an upload named {name:?} was refused with {:?} (\"{}\"); a name that \
                         cannot be a dataset's is the client's mistake, INVALID_ARGUMENT: check \
                         it with names::from_path",
                        status.code(),
                        status.message()
                    ),
                ));
            }
            Ok(_) => {
                return Err(Mistake::new(
                    PUT,
                    format!(
                        "an upload named {name:?} was accepted: a name from the network joined \
                         to a path unchecked can write anywhere the server may (a path joined \
                         without checking); check the descriptor's path with names::from_path \
                         before it names a file"
                    ),
                ));
            }
        }
    }
    let after = files_under(folder);
    if after != before {
        return Err(Mistake::new(
            PUT,
            format!(
                "after uploads with bad names, the check's folder changed: before {before:?}, \
                 after {after:?}"
            ),
        ));
    }
    Ok(())
}

fn a_second_schema_is_refused(uploads: &Uploads) -> Outcome {
    let mut messages = uploads.messages("two-schemas", &table(10));
    let other = Arc::new(Schema::new(vec![Field::new("x", DataType::Float64, true)]));
    let xs = Arc::new(Float64Array::from(vec![0.5; 10]));
    let batch = RecordBatch::try_new(other.clone(), vec![xs]).expect("a batch");
    let mut second = uploads.messages("two-schemas", &Table::new(other, vec![batch]));
    second[0].flight_descriptor = None;
    messages.extend(second);
    match uploads.send(messages) {
        Err(status) if status.code() == Code::InvalidArgument => Ok(()),
        Err(status) => Err(Mistake::new(
            PUT,
            format!(
                "an upload whose stream carries a second schema was refused with {:?} \
                 (\"{}\"): it is the client's mistake, INVALID_ARGUMENT, with a sentence \
                 that says so",
                status.code(),
                status.message()
            ),
        )),
        Ok(_) => Err(Mistake::new(
            PUT,
            "an upload whose stream carries a second schema was stored: one upload is one \
             table of one schema; refuse a second schema by name, with INVALID_ARGUMENT",
        )),
    }
}

fn the_upload_program_stores(uploads: &Uploads, binary: &Path) -> Outcome {
    let url = uploads.url();
    let args = [
        "--url",
        &url,
        "--name",
        "from-the-program",
        "--rows",
        "100000",
    ];
    let output = harness::run(binary, &args).map_err(|e| Mistake::new(PUT, format!("{e:#}")))?;
    if output.code != Some(0) {
        return Err(Mistake::new(
            PUT,
            format!(
                "the upload program failed:\n{}",
                indent(&output.transcript())
            ),
        ));
    }
    // Your do_put stored the checks' own tables right (the checks before):
    // a table that reads back wrong here is the one the program sends, the
    // table of your step 1.
    reads_back(&url, "from-the-program", 100_000).map_err(|mistake| {
        Mistake::new(
            "../01-build-table/src/lib.rs",
            format!(
                "{}
the upload program sends the table of your step 1 \
                 (page_table::build_table), and your do_put stored the checks' own tables \
                 right: finish step 1 (`cargo test -p step-01-build-table` says what is \
                 missing), or put the model answer there for now with `cargo tutor solve 1`",
                mistake.problem
            ),
        )
    })?;
    let bad = harness::run(binary, &["--url", &url, "--name", "../x"])
        .map_err(|e| Mistake::new(PUT, format!("{e:#}")))?;
    if !is_one_error_line(&bad, "InvalidArgument") {
        return Err(Mistake::new(
            PUT,
            format!(
                "the upload program, given --name ../x, should say in one line that the \
                 server refused the name:\n{}",
                indent(&bad.transcript())
            ),
        ));
    }
    Ok(())
}
