//! What a generic Flight client asks before it reads: which flights exist
//! (`list_flights`), what one holds (`get_flight_info`, `get_schema`). The
//! page's Python server inherits "not implemented" for these; answering them
//! lets any Flight tool discover the table. Also: the error answers.

use arrow::datatypes::SchemaRef;
use arrow::ipc::writer::IpcWriteOptions;
use arrow::record_batch::RecordBatch;
use arrow_flight::{
    FlightDescriptor, FlightEndpoint, FlightInfo, SchemaAsIpc, SchemaResult, Ticket,
};
use tonic::Status;

use crate::{PyArrowSchema, TICKET, Table};

/// Describes the table: schema, row and byte counts, and the one endpoint
/// (the `dataset` ticket, on this same server) that returns it.
pub fn flight_info(table: &Table) -> Result<FlightInfo, Status> {
    // The columns' buffers: the data itself (1000 rows of two int64 columns
    // are 16000 bytes), not the arrays' bookkeeping, whose size is the
    // compiler's and not the same everywhere.
    let bytes: usize = table
        .batches
        .iter()
        .flat_map(RecordBatch::columns)
        .map(|column| column.get_buffer_memory_size())
        .sum();
    let info = FlightInfo::new()
        .try_with_schema(&table.schema)
        .map_err(|e| Status::internal(format!("cannot encode the schema: {e}")))?
        .with_descriptor(FlightDescriptor::new_path(vec![TICKET.to_string()]))
        // No location: the client fetches the ticket from this same server.
        .with_endpoint(FlightEndpoint::new().with_ticket(Ticket::new(TICKET)))
        .with_total_records(table.num_rows() as i64)
        .with_total_bytes(bytes as i64);
    Ok(info)
}

/// The table's schema, IPC-encoded, for `get_schema`.
pub fn schema_result(table: &Table) -> Result<SchemaResult, Status> {
    SchemaAsIpc::new(&table.schema, &IpcWriteOptions::default())
        .try_into()
        .map_err(|e| Status::internal(format!("cannot encode the schema: {e}")))
}

/// Accepts the descriptor `path: ["dataset"]` or `cmd: b"dataset"`.
pub fn check_descriptor(descriptor: &FlightDescriptor) -> Result<(), Status> {
    if descriptor.path == [TICKET] || descriptor.cmd == TICKET.as_bytes() {
        Ok(())
    } else {
        Err(Status::not_found(format!(
            "no flight for descriptor {descriptor}: this server has one flight, path [\"{TICKET}\"]"
        )))
    }
}

/// The most bytes of an unknown ticket shown in the answer.
const TICKET_SHOWN: usize = 64;

/// The NOT_FOUND answer for a ticket we do not serve, naming the one we do.
pub fn unknown_ticket(ticket: &[u8]) -> Status {
    let more = if ticket.len() > TICKET_SHOWN {
        "..."
    } else {
        ""
    };
    Status::not_found(format!(
        "unknown ticket \"{}{more}\": the tickets that exist are [\"{TICKET}\"]",
        printable(&ticket[..ticket.len().min(TICKET_SHOWN)])
    ))
}

/// A ticket is arbitrary bytes from the network: its text escaped as Rust
/// escapes a string (`\n`, `\"`), and any byte that is not text as `\xNN`.
fn printable(bytes: &[u8]) -> String {
    let mut shown = String::new();
    for chunk in bytes.utf8_chunks() {
        shown.extend(chunk.valid().escape_debug());
        shown.extend(chunk.invalid().escape_ascii().map(char::from));
    }
    shown
}

/// The UNIMPLEMENTED answer for the calls a read-only table has no use for.
pub fn unimplemented(rpc: &str) -> Status {
    Status::unimplemented(format!(
        "{rpc} is not supported: this server only serves the read-only table \"{TICKET}\" (use do_get, list_flights, get_flight_info or get_schema)"
    ))
}

/// One flight as its server describes it: `get_flight_info`'s answer (its
/// rows, bytes and endpoints) and `get_schema`'s (its columns).
#[derive(Debug, Clone)]
pub struct Flight {
    pub info: FlightInfo,
    pub schema: SchemaRef,
}

/// What the port check prints of a Flight server on `port`: its flights,
/// each with its rows, bytes, where to read it, and its columns as pyarrow
/// prints them; or, for `None`, that it does not describe its flights.
///
/// ```text
/// Arrow Flight server answering on port 8815: 1 flight
///   "dataset": 1000 rows, 16000 bytes, read with ticket "dataset" on this server
///     id: int64
///     value: int64
/// ```
pub fn report(port: u16, flights: Option<&[Flight]>) -> String {
    let Some(flights) = flights else {
        return format!(
            "Arrow Flight server answering on port {port}: it does not describe its flights \
             (list_flights is UNIMPLEMENTED there)"
        );
    };
    let count = match flights.len() {
        1 => "1 flight".to_string(),
        n => format!("{n} flights"),
    };
    let mut report = format!("Arrow Flight server answering on port {port}: {count}");
    for flight in flights {
        let info = &flight.info;
        let name = info
            .flight_descriptor
            .as_ref()
            .map_or_else(|| "?".to_string(), flight_name);
        let endpoints: Vec<String> = info.endpoint.iter().map(endpoint).collect();
        report += &format!(
            "\n  \"{name}\": {} rows, {} bytes, read with {}",
            info.total_records,
            info.total_bytes,
            if endpoints.is_empty() {
                "no endpoint".to_string()
            } else {
                endpoints.join("; ")
            }
        );
        for line in PyArrowSchema(&flight.schema).to_string().lines() {
            report += &format!("\n    {line}");
        }
    }
    report
}

/// `ticket "dataset" on this server`, or `... at grpc://host:port`: where an
/// endpoint says its ticket is read (no location: the server that was asked).
fn endpoint(endpoint: &FlightEndpoint) -> String {
    let ticket = endpoint.ticket.as_ref().map_or_else(
        || "no ticket".to_string(),
        |t| format!("ticket \"{}\"", printable(&t.ticket)),
    );
    let locations: Vec<&str> = endpoint.location.iter().map(|l| l.uri.as_str()).collect();
    if locations.is_empty() {
        format!("{ticket} on this server")
    } else {
        format!("{ticket} at {}", locations.join(" or "))
    }
}

/// A flight's name: its path (`["dataset"]`), or else its command's bytes.
fn flight_name(descriptor: &FlightDescriptor) -> String {
    if descriptor.path.is_empty() {
        String::from_utf8_lossy(&descriptor.cmd).into_owned()
    } else {
        descriptor.path.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flights_are_reported_with_rows_bytes_endpoints_and_columns() {
        let schema = std::sync::Arc::new(arrow::datatypes::Schema::new(vec![
            arrow::datatypes::Field::new("id", arrow::datatypes::DataType::Int64, true),
        ]));
        let info = FlightInfo::new()
            .with_descriptor(FlightDescriptor::new_path(vec!["dataset".into()]))
            .with_endpoint(FlightEndpoint::new().with_ticket(Ticket::new("dataset")))
            .with_endpoint(
                FlightEndpoint::new()
                    .with_ticket(Ticket::new("b"))
                    .with_location("grpc://h:1")
                    .with_location("grpc://h:2"),
            )
            .with_total_records(1000)
            .with_total_bytes(16);
        let flight = Flight { info, schema };
        assert_eq!(
            report(8815, Some(&[flight])),
            "Arrow Flight server answering on port 8815: 1 flight\n  \"dataset\": 1000 rows, 16 \
             bytes, read with ticket \"dataset\" on this server; ticket \"b\" at grpc://h:1 or \
             grpc://h:2\n    id: int64"
        );
        assert_eq!(
            report(1, Some(&[])),
            "Arrow Flight server answering on port 1: 0 flights"
        );
        assert!(report(1, None).contains("does not describe its flights"));
    }

    #[test]
    fn unknown_tickets_are_named_and_the_real_one_suggested() {
        let status = unknown_ticket(b"nope");
        assert_eq!(status.code(), tonic::Code::NotFound);
        assert_eq!(
            status.message(),
            "unknown ticket \"nope\": the tickets that exist are [\"dataset\"]"
        );
    }

    #[test]
    fn binary_and_long_tickets_are_escaped_and_cut() {
        let status = unknown_ticket(&[0xff, b'\n', b'a', b'"', 0xc3, 0xa9, 0x00]);
        assert!(
            status
                .message()
                .starts_with(r#"unknown ticket "\xff\na\"é\0": "#),
            "{}",
            status.message()
        );
        let message = unknown_ticket(&[b'x'; 1000]).message().to_string();
        assert!(
            message.contains(&format!("\"{}...\"", "x".repeat(64))),
            "{message}"
        );
        // Cut in the middle of a character: the half character is bytes.
        let ticket = format!("a{}", "é".repeat(40));
        let message = unknown_ticket(ticket.as_bytes()).message().to_string();
        assert!(
            message.contains(&format!("\"a{}\\xc3...\"", "é".repeat(31))),
            "{message}"
        );
    }

    #[test]
    fn descriptors_by_path_or_command_name_the_dataset() {
        assert!(check_descriptor(&FlightDescriptor::new_path(vec!["dataset".into()])).is_ok());
        assert!(check_descriptor(&FlightDescriptor::new_cmd("dataset")).is_ok());
        let other = FlightDescriptor::new_path(vec!["other".into()]);
        assert_eq!(
            check_descriptor(&other).unwrap_err().code(),
            tonic::Code::NotFound
        );
    }

    #[test]
    fn the_info_describes_the_page_table() {
        let schema = std::sync::Arc::new(arrow::datatypes::Schema::new(vec![
            arrow::datatypes::Field::new("x", arrow::datatypes::DataType::Float64, false),
        ]));
        let xs = std::sync::Arc::new(arrow::array::Float64Array::from(vec![0.5; 1000]));
        let batch = RecordBatch::try_new(schema.clone(), vec![xs]).unwrap();
        let table = Table::new(schema, vec![batch]);
        let info = flight_info(&table).unwrap();
        assert_eq!(info.total_records, 1000);
        assert_eq!(info.endpoint[0].ticket, Some(Ticket::new("dataset")));
        assert_eq!(info.try_decode_schema().unwrap(), *table.schema);
    }
}
