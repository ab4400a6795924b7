//! Property tests on what parses untrusted input: a ticket from the network.
//! Any input: no panic, and the answer stays short.

use proptest::prelude::*;

proptest! {
    #[test]
    fn any_ticket_gets_a_short_not_found(ticket in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let status = kit::discovery::unknown_ticket(&ticket);
        prop_assert_eq!(status.code(), tonic::Code::NotFound);
        // At most 64 bytes of the ticket are shown, each escaped to at most 10 characters.
        prop_assert!(status.message().len() < 64 * 10 + 100);
    }
}
