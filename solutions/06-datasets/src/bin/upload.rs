//! `cargo run -p solution-06-datasets --bin solution-06-datasets-upload -- --name trips`:
//! uploads a table of the page's shape as a dataset.
//!
//! ```python
//! client = flight.FlightClient("grpc://127.0.0.1:8815")
//! descriptor = flight.FlightDescriptor.for_path("trips")
//! writer, _ = client.do_put(descriptor, table.schema)
//! writer.write_table(table)
//! writer.close()
//! ```

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use arrow_flight::encode::FlightDataEncoderBuilder;
use arrow_flight::{FlightClient, FlightDescriptor, PutResult};
use clap::Parser;
use futures::stream::{self, StreamExt, TryStreamExt};
use kit::{DEFAULT_URL, explain, explain_connect};
use page_table::build_table;

/// Upload a table of the page's shape (id, value = id * 10) to the dataset server.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The server's address.
    #[arg(long, default_value = DEFAULT_URL)]
    url: String,
    /// The dataset's name: read it back with --ticket NAME.
    #[arg(long)]
    name: String,
    /// Rows in the table.
    #[arg(long, default_value_t = kit::PAGE_ROWS)]
    rows: usize,
    /// Seconds the whole upload may take.
    #[arg(long, default_value = "300", value_parser = kit::args::seconds)]
    timeout: Duration,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    kit::exit_code(run(Args::parse()).await)
}

// ANCHOR: run
async fn run(args: Args) -> anyhow::Result<()> {
    let table = build_table(args.rows).context("cannot build the table")?;
    let upload = async {
        // The server answers once the upload is stored: the whole upload may
        // take --timeout, not only the kit's 10 s until the first answer.
        let channel = kit::endpoint(&args.url)?
            .timeout(args.timeout)
            .connect()
            .await
            .map_err(|error| explain_connect(&args.url, &error))?;
        let mut client = FlightClient::new(channel);
        // The descriptor names the dataset; the encoder sends it with the
        // first message, the schema, then each batch.
        let descriptor = FlightDescriptor::new_path(vec![args.name.clone()]);
        let batches = stream::iter(table.batches.clone()).map(Ok);
        let messages = FlightDataEncoderBuilder::new()
            .with_schema(table.schema.clone())
            .with_flight_descriptor(Some(descriptor))
            .build(batches);
        let answers: Vec<PutResult> = client
            .do_put(messages)
            .await
            .map_err(explain)?
            .try_collect()
            .await
            .map_err(explain)?;
        anyhow::Ok(answers)
    };
    let answers = kit::within(args.timeout, &args.url, upload).await?;
    let (rows, name) = (table.num_rows(), &args.name);
    // What the server answered, if anything (ours: {"rows": N}; pyarrow's: nothing).
    match answers
        .first()
        .filter(|answer| !answer.app_metadata.is_empty())
    {
        Some(answer) => {
            let said = String::from_utf8_lossy(&answer.app_metadata);
            println!("Stored {rows} rows as \"{name}\" (the server says {said})");
        }
        None => println!("Stored {rows} rows as \"{name}\""),
    }
    Ok(())
}
// ANCHOR_END: run
