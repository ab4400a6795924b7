//! Step 4: an Arrow Flight client that reads the table back.
//!
//! ```python
//! client = flight.FlightClient("grpc://127.0.0.1:8815")
//! reader = client.do_get(flight.Ticket(b"dataset"))
//! table = reader.read_all()
//!
//! print(table.schema)
//! print("Rows:", table.num_rows)
//! ```

use anyhow::{Context, Result};
use arrow_flight::flight_service_client::FlightServiceClient;
use arrow_flight::{FlightClient, Ticket};
use futures::TryStreamExt;
use kit::args::ClientArgs;
use kit::{PyArrowSchema, Table, explain, explain_connect};
use tonic::transport::Channel;

// ANCHOR: connect
/// `flight.FlightClient("grpc://127.0.0.1:8815")`
pub async fn connect(url: &str) -> Result<FlightClient> {
    // ANCHOR: hint_channel
    let channel: Channel = kit::endpoint(url)?
        .connect()
        .await
        .map_err(|error| explain_connect(url, &error))?;
    // ANCHOR_END: hint_channel
    // A Flight message can be large: a pyarrow server sends each record batch
    // as one message (1M rows of two int64 columns is 16 MB), and tonic
    // refuses messages over 4 MiB unless told otherwise. pyarrow's client
    // has no limit either.
    Ok(FlightClient::new_from_inner(
        FlightServiceClient::new(channel).max_decoding_message_size(usize::MAX),
    ))
}
// ANCHOR_END: connect

// ANCHOR: read_table
/// `client.do_get(flight.Ticket(ticket)).read_all()`
pub async fn read_table(client: &mut FlightClient, ticket: &str) -> Result<Table> {
    let mut stream = client
        .do_get(Ticket::new(ticket.to_string()))
        .await
        .map_err(explain)?;
    // ANCHOR: hint_collect
    let batches: Vec<_> = (&mut stream).try_collect().await.map_err(explain)?;
    // ANCHOR_END: hint_collect
    // The schema arrives first, even when the table has no rows: take it
    // from the stream, not from the first batch (there may be none).
    let schema = stream
        .schema()
        .cloned()
        .context("the server sent no schema")?;
    Ok(Table::new(schema, batches))
}
// ANCHOR_END: read_table

// ANCHOR: run
/// The page's `flight_client.py`: read the table, print its schema and row count.
pub async fn run(args: ClientArgs) -> Result<()> {
    let read = async {
        let mut client = connect(&args.url).await?;
        read_table(&mut client, &args.ticket).await
    };
    // A server that stops answering must not keep us waiting forever; and if
    // the port turns out not to be a gRPC server's, kit::within says what it is.
    let table = kit::within(args.timeout, &args.url, read).await?;

    println!("{}", PyArrowSchema(&table.schema));
    println!("Rows: {}", table.num_rows());
    Ok(())
}
// ANCHOR_END: run
