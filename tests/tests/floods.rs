//! The heavy tests: bursts and floods against the reference server, too
//! long for a plain `cargo test` and for an emulated Arm64 run. CI runs them
//! on x86-64, in a step of their own:
//! `cargo test -p flight-path-tests --test floods -- --ignored`.
//!
//! Real processes on loopback, as in `hardening.rs`.

use flight_path_tests::{run_python, start_server};

/// The burst: this many pyarrow clients at once, each holding its
/// connection this long after reading the table: four times the server's
/// 256 places, held long enough that most clients must wait for one.
const BURST_CLIENTS: &str = "1000";
const HOLD_SECONDS: &str = "5";

#[test]
#[ignore = "heavy: 1000 pyarrow clients, twice (about a minute); CI runs it on x86-64"]
fn a_burst_of_a_thousand_clients_holding_their_connections_is_served_in_full_twice() {
    let server = start_server(&[]);
    let port = server.port.to_string();
    for burst in ["first", "second"] {
        let output = run_python("burst.py", &[&port, BURST_CLIENTS, HOLD_SECONDS]);
        eprintln!("{burst} burst: {}", output.stdout.trim());
        assert_eq!(
            output.code,
            Some(0),
            "{burst} burst: {}",
            output.transcript()
        );
    }
    let stopped = server.stop().expect("stop");
    assert_eq!(stopped.code, Some(0), "{}", stopped.transcript());
    // Real clients are never closed to make room: they wait.
    assert!(
        !stopped.stderr.contains("to make room"),
        "{}",
        stopped.stderr
    );
}
