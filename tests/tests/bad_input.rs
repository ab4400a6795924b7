//! Every kind of bad input, each with its exact message and exit code:
//! 1 for a problem the program met, 2 for a command line it cannot parse
//! (clap's convention). Never a panic, never a backtrace.

use arrow_flight::{FlightData, FlightDescriptor};
use flight_client::connect;
use flight_path_tests::{run, start_server, url};
use futures::stream;
use tonic::Code;

/// (binary, arguments, exit code, what stderr starts with)
const CASES: &[(&str, &[&str], i32, &str)] = &[
    (
        "solution-04-client",
        &["--url", "grpc://exa mple:1"],
        1,
        "error: invalid URL 'grpc://exa mple:1': use grpc://HOST:PORT, for example grpc://127.0.0.1:8815\n",
    ),
    (
        "solution-04-client",
        &["--url", "http://127.0.0.1:1"],
        1,
        "error: unsupported URL 'http://127.0.0.1:1': use grpc://HOST:PORT, for example grpc://127.0.0.1:8815\n",
    ),
    (
        "solution-04-client",
        &["--url", "grpc://127.0.0.1"],
        1,
        "error: URL 'grpc://127.0.0.1' has no port: add one, for example grpc://127.0.0.1:8815\n",
    ),
    (
        "solution-04-client",
        &["--url", "grpc://no-such-host.invalid:8815"],
        1,
        // The rest is the system resolver's own words.
        "error: cannot connect to grpc://no-such-host.invalid:8815: ",
    ),
    (
        "solution-02-server",
        &["--port", "70000"],
        2,
        "error: invalid value '70000' for '--port <PORT>': 70000 is not in 0..=65535\n",
    ),
    (
        "solution-02-server",
        &["--host", "not-a-host.invalid", "--port", "0"],
        1,
        "error: cannot listen on 'not-a-host.invalid': not an IP address or a host name this machine knows (use 0.0.0.0 for every interface, 127.0.0.1 for this machine only)\n",
    ),
    (
        "solution-02-server",
        // 192.0.2.1 is reserved for documentation: no machine has it.
        &["--host", "192.0.2.1", "--port", "0"],
        1,
        "error: cannot listen on 192.0.2.1: this machine has no such address (use 0.0.0.0 for every interface, 127.0.0.1 for this machine only)\n",
    ),
    (
        "solution-02-server",
        &["--rows", "many"],
        2,
        "error: invalid value 'many' for '--rows <ROWS>': invalid digit found in string\n",
    ),
    (
        "solution-03-verify-port",
        &["--port", "-1"],
        2,
        "error: unexpected argument '-1' found\n",
    ),
    (
        "solution-06-datasets-server",
        &["--max-upload-bytes", "4GB"],
        2,
        "error: invalid value '4GB' for '--max-upload-bytes <MAX_UPLOAD_BYTES>': '4GB' is not a size: give bytes, or a number with KiB, MiB or GiB\n",
    ),
    (
        "solution-06-datasets-server",
        &["--port", "0", "--data-dir", "/dev/null"],
        1,
        "error: cannot make the folder /dev/null: ",
    ),
    (
        "solution-06-datasets-upload",
        &["--rows", "10"],
        2,
        "error: the following required arguments were not provided:\n  --name <NAME>\n",
    ),
];

#[test]
fn each_bad_command_line_gets_its_message_and_exit_code() {
    for (binary, args, code, message) in CASES {
        let output = run(binary, args);
        let case = format!("{binary} {}:\n{}", args.join(" "), output.transcript());
        assert_eq!(output.code, Some(*code), "{case}");
        assert!(output.stderr.starts_with(message), "{case}");
        assert!(!output.stderr.contains("panicked"), "{case}");
        if *code == 1 {
            assert_eq!(output.stderr.lines().count(), 1, "one line only: {case}");
        }
    }
}

#[tokio::test]
async fn calls_the_server_does_not_offer_are_unimplemented_with_a_reason() {
    let server = start_server(&[]);
    let mut client = connect(&url(server.port)).await.expect("connect");

    let put = client
        .do_put(stream::iter(
            Vec::<arrow_flight::error::Result<FlightData>>::new(),
        ))
        .await;
    let exchange = client
        .do_exchange(stream::iter(
            Vec::<arrow_flight::error::Result<FlightData>>::new(),
        ))
        .await;
    let handshake = client.handshake(Vec::new()).await;
    let action = client
        .do_action(arrow_flight::Action::new("drop", ""))
        .await;
    for (rpc, result) in [
        ("do_put", put.map(|_| ())),
        ("do_exchange", exchange.map(|_| ())),
        ("handshake", handshake.map(|_| ())),
        ("do_action", action.map(|_| ())),
    ] {
        let Err(arrow_flight::error::FlightError::Tonic(status)) = result else {
            panic!("{rpc} should fail with a status");
        };
        assert_eq!(status.code(), Code::Unimplemented, "{rpc}: {status}");
        assert_eq!(
            status.message(),
            format!(
                "{rpc} is not supported: this server only serves the read-only table \"dataset\" (use do_get, list_flights, get_flight_info or get_schema)"
            )
        );
    }

    let unknown = client
        .get_flight_info(FlightDescriptor::new_path(vec!["other".into()]))
        .await;
    let Err(arrow_flight::error::FlightError::Tonic(status)) = unknown else {
        panic!("get_flight_info of an unknown path should fail");
    };
    assert_eq!(status.code(), Code::NotFound);
}
