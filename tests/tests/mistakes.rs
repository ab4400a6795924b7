//! The catalogue of classic mistakes: each is a small change to a model
//! answer's lesson code, dropped into its step in a scratch copy of the
//! workspace; the step's self-check must fail, naming the mistake.
//!
//! Slow (it builds every mutant), so it is ignored by a plain `cargo test`;
//! CI runs it: `cargo test -p flight-path-tests --test mistakes -- --ignored`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use checks::{Step, step as step_numbered, steps};
use tempfile::TempDir;

/// One wrong answer: in `file` of step `step`'s model answer, `find`
/// (which must occur exactly once) becomes `replace`; the self-check must
/// fail and say `expect`.
struct Mistake {
    step: usize,
    file: &'static str,
    find: &'static str,
    replace: &'static str,
    expect: &'static str,
}

const CATALOGUE: &[Mistake] = &[
    // Step 1: the table.
    Mistake {
        step: 1,
        file: "src/lib.rs",
        find: r#"Field::new("id", DataType::Int64, true)"#,
        replace: r#"Field::new("id", DataType::Int64, false)"#,
        expect: "a field is `not null`",
    },
    Mistake {
        step: 1,
        file: "src/lib.rs",
        find: r#"Field::new("value", DataType::Int64, true)"#,
        replace: r#"Field::new("value", DataType::Int32, true)"#,
        expect: "\"value\" is Int32; the page's columns are int64",
    },
    Mistake {
        step: 1,
        file: "src/lib.rs",
        find: "let end = (start + BATCH_ROWS).min(num_rows);",
        replace: "let end = (start + BATCH_ROWS).min(num_rows + 1);",
        expect: "one row off",
    },
    Mistake {
        step: 1,
        file: "src/lib.rs",
        find: "ids.map(|i| i * 10)",
        replace: "ids.map(|i| i * 100)",
        expect: "row 1 is id 1, value 100; it should be id 1, value 10",
    },
    Mistake {
        step: 1,
        file: "src/lib.rs",
        find: ".step_by(BATCH_ROWS)",
        replace: ".step_by(BATCH_ROWS).take(1)",
        expect: "build_table(200000): 65536 rows instead of 200000",
    },
    // Step 2: the server.
    Mistake {
        step: 2,
        file: "src/server.rs",
        find: "kit::listen(&args.host, args.port)",
        replace: "kit::listen(\"0.0.0.0\", args.port)",
        expect: "it listens on every address, not on the host it is given",
    },
    Mistake {
        step: 2,
        file: "src/server.rs",
        find: "kit::listen(&args.host, args.port)",
        replace: "kit::listen(\"127.0.0.1\", args.port)",
        expect: "nothing answered on [::1]",
    },
    Mistake {
        step: 2,
        file: "src/service.rs",
        find: ".with_schema(self.table.schema.clone())",
        replace: "",
        expect: "with 0 rows, the stream carried no schema",
    },
    Mistake {
        step: 2,
        file: "src/service.rs",
        find: "stream::iter(self.table.batches.clone())",
        replace: "stream::iter(self.table.batches.first().cloned())",
        expect: "only one record batch arrived",
    },
    Mistake {
        step: 2,
        file: "src/service.rs",
        find: "return Err(discovery::unknown_ticket(&ticket));",
        replace: "let _ = &ticket;",
        expect: "do_get(\"no-such-ticket\") sent a table of 1000 rows",
    },
    Mistake {
        step: 2,
        file: "src/service.rs",
        find: "return Err(discovery::unknown_ticket(&ticket));",
        replace: "return Err(Status::invalid_argument(\"bad ticket\"));",
        expect: "failed with InvalidArgument",
    },
    Mistake {
        step: 2,
        file: "src/server.rs",
        find: r#"println!("Arrow Flight server running on port {port}");"#,
        replace: r#"println!("Arrow Flight server running on port {}", args.port);"#,
        expect: "the server printed \"port 0\"",
    },
    Mistake {
        step: 2,
        file: "src/server.rs",
        find: r#"println!("Arrow Flight server running on port {port}");"#,
        replace: "let _ = port;",
        expect: "the server did not say it is running",
    },
    Mistake {
        step: 2,
        file: "src/server.rs",
        find: r#"let shutdown = kit::shutdown_signal().context("cannot watch for Ctrl-C")?;"#,
        replace: "let shutdown = std::future::pending::<()>();",
        expect: "the server does not catch Ctrl-C (SIGINT)",
    },
    Mistake {
        step: 2,
        file: "src/server.rs",
        find: "kit::incoming(listener, args.limits)",
        replace: "kit::incoming(listener, kit::args::Limits::default())",
        expect: "with --handshake-timeout 0.5, a connection that sent nothing",
    },
    Mistake {
        step: 2,
        file: "src/server.rs",
        find: "kit::incoming(listener, args.limits)",
        replace: "kit::incoming(listener, kit::args::Limits { idle_timeout: std::time::Duration::from_secs(300), ..args.limits })",
        expect: "a connection that started HTTP/2 and made no call was still open",
    },
    Mistake {
        step: 2,
        file: "src/server.rs",
        find: "kit::incoming(listener, args.limits)",
        replace: "kit::incoming(listener, kit::args::Limits { max_connections: 256, ..args.limits })",
        expect: "a second client was served at once",
    },
    Mistake {
        step: 2,
        file: "src/server.rs",
        find: "kit::for_an_open_port(Server::builder())",
        replace: "Server::builder()",
        expect: "only through the layer kit::for_an_open_port puts on",
    },
    Mistake {
        step: 2,
        file: "src/server.rs",
        find: "kit::stop_within(args.limits.grace_period, shutdown,",
        replace: "kit::stop_within(std::time::Duration::from_secs(3600), shutdown,",
        expect: "tonic's graceful stop waits for every stream",
    },
    // Step 3: is it up? Ask the server.
    Mistake {
        step: 3,
        file: "src/probe.rs",
        find: "        Err(FlightError::Tonic(status)) if status.code() == Code::Unimplemented => {\n            return Ok(None);\n        }\n",
        replace: "",
        expect: "UNIMPLEMENTED is an answer in Flight's protocol",
    },
    Mistake {
        step: 3,
        file: "src/probe.rs",
        find: "let info = client\n            .get_flight_info(descriptor.clone())\n            .await\n            .map_err(kit::explain)?;",
        replace: "let info = listed.clone();",
        expect: "this server lists its flights in brief",
    },
    Mistake {
        step: 3,
        file: "src/probe.rs",
        find: "let schema = client.get_schema(descriptor).await.map_err(kit::explain)?;",
        replace: "let schema = info.clone().try_decode_schema()?;",
        expect: "this server lists its flights in brief",
    },
    Mistake {
        step: 3,
        file: "src/probe.rs",
        find: "Err(error) => return Err(kit::explain(error)),",
        replace: "Err(error) => return Err(error.into()),",
        expect: "return it through kit::explain",
    },
    // Step 4: the client.
    Mistake {
        step: 4,
        file: "src/lib.rs",
        find: ".map_err(|error| explain_connect(url, &error))?;",
        replace: "?;",
        expect: "kit::explain_connect (a connection that failed)",
    },
    Mistake {
        step: 4,
        file: "src/lib.rs",
        find: "let table = kit::within(args.timeout, &args.url, read).await?;",
        replace: "let table = read.await?;",
        expect: "the client waited",
    },
    Mistake {
        step: 4,
        file: "src/lib.rs",
        find: "FlightServiceClient::new(channel).max_decoding_message_size(usize::MAX)",
        replace: "FlightServiceClient::new(channel)",
        expect: "your client refused a large message",
    },
    Mistake {
        step: 4,
        file: "src/lib.rs",
        find: "let schema = stream\n        .schema()\n        .cloned()",
        replace: "let schema = batches\n        .first()\n        .map(|batch| batch.schema())",
        expect: "take the schema from the stream",
    },
    Mistake {
        step: 4,
        file: "src/lib.rs",
        find: r#"println!("Rows: {}", table.num_rows());"#,
        replace: r#"println!("Rows: {}", table.batches.first().map_or(0, |b| b.num_rows()));"#,
        expect: "the row count is off",
    },
    Mistake {
        step: 4,
        file: "src/lib.rs",
        find: "let mut client = connect(&args.url).await?;",
        replace: "let mut client = connect(&args.url).await.unwrap();",
        expect: "it panicked",
    },
    Mistake {
        step: 4,
        file: "src/lib.rs",
        find: r#"println!("{}", PyArrowSchema(&table.schema));"#,
        replace: r#"println!("{:?}", table.schema.fields());"#,
        expect: "against a server of 1000 rows, the client should print",
    },
    // Step 5: TLS and a bearer token.
    Mistake {
        step: 5,
        file: "src/token.rs",
        find: "header\n        .and_then(|h| h.split_once(' '))\n        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case(\"bearer\"))\n        .map(|(_, token)| token);",
        replace: "header.and_then(|h| h.strip_prefix(\"Bearer \"));",
        expect: "HTTP's authentication schemes are case-insensitive",
    },
    Mistake {
        step: 5,
        file: "src/tls.rs",
        find: ".domain_name(server_name)",
        replace: ".domain_name(\"localhost\")",
        expect: "a client must expect the name of the server it dials",
    },
    Mistake {
        step: 5,
        file: "src/token.rs",
        find: "if !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {",
        replace: "if given.is_empty() {",
        expect: "(a wrong token) read the table",
    },
    Mistake {
        step: 5,
        file: "src/token.rs",
        find: r#"Status::unauthenticated("wrong bearer token")"#,
        replace: r#"Status::permission_denied("wrong bearer token")"#,
        expect: "was refused, but with PermissionDenied",
    },
    Mistake {
        step: 5,
        file: "src/token.rs",
        find: ".map(|(_, token)| token);",
        replace: ".map(|(_, token)| token)\n        .or(Some(expected));",
        expect: "a call with no authorization header read the table",
    },
    Mistake {
        step: 5,
        file: "src/token.rs",
        find: "if !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {",
        replace: "if !expected.starts_with(given) {",
        expect: "(the token cut short by one character) read the table",
    },
    Mistake {
        step: 5,
        file: "src/tls.rs",
        find: "ServerTlsConfig::new().identity(Identity::from_pem(cert_pem, key_pem))",
        replace: "ServerTlsConfig::new()",
        expect: "tonic needs the server's identity",
    },
    Mistake {
        step: 5,
        file: "src/tls.rs",
        find: ".ca_certificate(Certificate::from_pem(ca_pem))",
        replace: "",
        expect: "must trust the certificate it is given",
    },
    Mistake {
        step: 5,
        file: "src/tls.rs",
        find: ".domain_name(server_name))",
        replace: ".domain_name(\"example.com\"))",
        expect: "certificate not valid for name \"example.com\"",
    },
    // Step 6: upload and share datasets.
    Mistake {
        step: 6,
        file: "src/put.rs",
        find: "let mut decoded = FlightDataDecoder::new(messages);",
        replace: "let mut decoded = stream::iter(FlightDataDecoder::new(messages).collect::<Vec<_>>().await);",
        expect: "collecting the whole stream before writing",
    },
    Mistake {
        step: 6,
        file: "src/put.rs",
        find: "let file = upload.file()?;",
        replace: "let file = std::fs::File::create(store.path(&name)).map_err(crate::store::internal)?;",
        expect: "(writing in place)",
    },
    Mistake {
        step: 6,
        file: "src/put.rs",
        find: "writer.close().map_err(parquet_failed)?;",
        replace: "drop(writer);",
        expect: "has no Parquet footer",
    },
    Mistake {
        step: 6,
        file: "src/info.rs",
        find: "parquet.metadata().file_metadata().num_rows()",
        replace: "parquet.metadata().row_groups().first().map_or(0, |group| group.num_rows())",
        expect: "says total_records 262144; it holds 600000 rows, in several row groups",
    },
    Mistake {
        step: 6,
        file: "src/put.rs",
        find: "let name = names::from_path(&descriptor.path)?.to_string();",
        replace: "let name = descriptor.path.join(\"/\");",
        expect: "(a path joined without checking)",
    },
    Mistake {
        step: 6,
        file: "src/put.rs",
        find: "            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))\n            .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))\n",
        replace: "",
        expect: "holds a row group of",
    },
    Mistake {
        step: 6,
        file: "src/put.rs",
        find: ".set_compression(Compression::SNAPPY)",
        replace: ".set_compression(Compression::UNCOMPRESSED)",
        expect: "where pyarrow's writer uses Snappy by",
    },
    Mistake {
        step: 6,
        file: "src/put.rs",
        find: "let messages = stream::once(async { Ok(first) })\n        .chain(messages)\n        .map_err(FlightError::from);",
        replace: "let _ = first;\n    let messages = messages.map_err(FlightError::from);",
        expect: "not put back in front of the rest",
    },
    Mistake {
        step: 6,
        file: "src/put.rs",
        find: r#"app_metadata: format!("{{\"rows\": {rows}}}").into(),"#,
        replace: "app_metadata: Default::default(),",
        expect: "whose app_metadata says the rows stored",
    },
    Mistake {
        step: 6,
        file: "src/info.rs",
        find: "let rows = parquet.metadata().file_metadata().num_rows();",
        replace: "let rows = ParquetRecordBatchReaderBuilder::try_new(open(store, name)?).map_err(internal)?.build().map_err(internal)?.map(|batch| batch.map_or(0, |b| b.num_rows() as i64)).sum::<i64>();",
        expect: "read only the footer",
    },
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A copy of the workspace's files (tracked, or new and not ignored), with
/// every step solved: each lesson file replaced by the model answer's.
fn solved_copy() -> TempDir {
    let copy = TempDir::new_in(env!("CARGO_TARGET_TMPDIR")).expect("a scratch folder");
    let listed = Command::new("git")
        .args([
            "ls-files",
            "--cached",
            "--others",
            "--exclude-standard",
            "-z",
        ])
        .current_dir(workspace())
        .output()
        .expect("git ls-files");
    assert!(listed.status.success(), "git ls-files failed");
    for file in listed.stdout.split(|&b| b == 0).filter(|f| !f.is_empty()) {
        let file = std::str::from_utf8(file).expect("a UTF-8 path");
        let from = workspace().join(file);
        if !from.is_file() {
            continue; // deleted but not yet committed
        }
        let to = copy.path().join(file);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(&from, &to).unwrap();
    }
    for step in steps() {
        for file in &step.lesson_files {
            let answer = workspace().join(step.solution_dir()).join(file);
            fs::copy(&answer, copy.path().join(step.step_dir()).join(file)).unwrap();
        }
    }
    copy
}

/// Runs step `step`'s self-check in `root`: (passed, stdout).
///
/// The copy builds into a target directory of its own. Sharing this
/// checkout's would corrupt it: cargo names a workspace's packages by their
/// path from the workspace root, so the copy's crates would be built under
/// the very names of ours, and pass for them (`cargo test -p step-02-server`
/// here would run the copy's mutant, and `harness` would look for the
/// workspace in the deleted copy). The dependencies are built once, on the
/// first run; each mutant then rebuilds one step crate.
fn self_check(root: &Path, step: &Step) -> (bool, String) {
    let output = harness::cargo()
        .args(["test", "--quiet", "--offline", "--test", "self-check", "-p"])
        .arg(step.package())
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", workspace().join("target/mistakes"))
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("error[E") && !stderr.contains("could not compile"),
        "the step does not compile:\n{stderr}"
    );
    (output.status.success(), stdout)
}

#[test]
#[ignore = "slow: builds each mutant; CI runs it with --ignored"]
fn every_classic_mistake_fails_its_self_check_by_name() {
    assert!(
        CATALOGUE.len() >= 15,
        "the catalogue keeps at least 15 mistakes"
    );
    // FLIGHT_PATH_MISTAKES_STEP=6 tries one step's mistakes only, while
    // that step is being written.
    let only: Option<usize> = std::env::var("FLIGHT_PATH_MISTAKES_STEP").ok().map(|n| {
        n.parse()
            .expect("FLIGHT_PATH_MISTAKES_STEP is a step number")
    });
    let catalogue: Vec<&Mistake> = CATALOGUE
        .iter()
        .filter(|m| only.is_none_or(|n| m.step == n))
        .collect();
    let copy = solved_copy();
    let steps: Vec<usize> = {
        let mut steps: Vec<usize> = catalogue.iter().map(|m| m.step).collect();
        steps.dedup();
        steps
    };
    for &number in &steps {
        let step = step_numbered(number).expect("a step of the table");
        let (passed, stdout) = self_check(copy.path(), step);
        assert!(passed, "the model answer of step {number} fails:\n{stdout}");
    }
    let mut missed = Vec::new();
    for mistake in catalogue {
        let step = step_numbered(mistake.step).expect("a step of the table");
        let answer = fs::read_to_string(workspace().join(step.solution_dir()).join(mistake.file))
            .expect("the model answer");
        assert_eq!(
            answer.matches(mistake.find).count(),
            1,
            "step {} {}: {:?} must occur once in the model answer",
            mistake.step,
            mistake.file,
            mistake.find
        );
        let lesson = copy.path().join(step.step_dir()).join(mistake.file);
        fs::write(&lesson, answer.replacen(mistake.find, mistake.replace, 1)).unwrap();
        let (passed, stdout) = self_check(copy.path(), step);
        fs::write(&lesson, &answer).unwrap();
        if passed || !stdout.contains(mistake.expect) {
            missed.push(format!(
                "step {} {}: {:?} -> {:?}\n  expected a failure saying {:?}; the self-check said:\n{stdout}",
                mistake.step, mistake.file, mistake.find, mistake.replace, mistake.expect
            ));
        }
    }
    assert!(missed.is_empty(), "{}", missed.join("\n"));
}
