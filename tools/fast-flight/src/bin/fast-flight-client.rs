//! `cargo run --release -p fast-flight --bin fast-flight-client`: the page's
//! client on the fast path. Same command line and output as
//! `solution-04-client`; aligned columns are read where they arrive.

use std::process::ExitCode;

use clap::Parser;
use kit::PyArrowSchema;
use kit::args::ClientArgs;

// As the fast server: message buffers are reused, not handed back to the
// system and faulted in again.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    kit::exit_code(run(ClientArgs::parse()).await)
}

async fn run(args: ClientArgs) -> anyhow::Result<()> {
    let read = async {
        let mut client = flight_client::connect(&args.url).await?;
        fast_flight::read_table(&mut client, &args.ticket).await
    };
    let table = kit::within(args.timeout, &args.url, read).await?;
    println!("{}", PyArrowSchema(&table.schema));
    println!("Rows: {}", table.num_rows());
    Ok(())
}
