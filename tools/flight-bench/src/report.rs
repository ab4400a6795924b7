//! The results: tables for people, one line for tools, JSON for the book.

use std::time::Duration;

use anyhow::Context;
use serde_json::{Value, json};

use crate::stats::{RoundTrip, Stats, per_fetch, per_gb};

/// Client processes reading from one server at the same time.
pub const CLIENTS_AT_ONCE: usize = 4;
/// The rows of the small table whose round trips are timed.
pub const ROUND_TRIP_ROWS: usize = 1000;
/// Timed round trips of the small table, after a warm-up read.
pub const ROUND_TRIP_READS: usize = 200;

/// The widest line of the printed tables.
pub const COLUMNS: usize = 100;
/// The widest line of the uploads' table: step 6's chapter shows it as
/// printed, in a code block of the book's width.
pub const UPLOAD_COLUMNS: usize = 85;

/// What one side of a pair (the server or the client process) spent on its fetches.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Costs {
    /// The reads (or uploads) it served or made while measured.
    pub fetches: u64,
    /// User + sys, every thread.
    pub cpu_seconds: Option<f64>,
    pub minor_faults: Option<u64>,
    /// Its own peak resident memory (VmHWM), in bytes.
    pub peak_rss: Option<u64>,
}

impl Costs {
    /// CPU seconds per GB moved, at `bytes` per fetch.
    pub fn cpu_per_gb(&self, bytes: u64) -> Option<f64> {
        per_gb(self.cpu_seconds?, self.fetches.checked_mul(bytes)?)
    }

    pub fn faults_per_fetch(&self) -> Option<f64> {
        per_fetch(self.minor_faults?, self.fetches)
    }
}

/// One measured pair.
#[derive(Debug, Clone)]
pub struct Measured {
    pub name: String,
    /// One client's timed reads of the big table.
    pub stats: Stats,
    /// [`CLIENTS_AT_ONCE`] clients together.
    pub clients_mb_per_s: Option<f64>,
    /// The small table's round trips.
    pub round_trip: Option<RoundTrip>,
    pub server: Costs,
    pub client: Costs,
}

/// One upload pair: a client's timed uploads of the table to a dataset
/// server (step 6's), and what the server spent on them.
#[derive(Debug, Clone)]
pub struct Uploaded {
    pub name: String,
    pub stats: Stats,
    /// Over the warm-up upload and the timed ones.
    pub server: Costs,
}

pub struct Report {
    pub rows: usize,
    pub runs: usize,
    pub bytes: u64,
    pub clients_at_once: usize,
    pub round_trip_rows: usize,
    pub round_trip_reads: usize,
    pub measured: Vec<Measured>,
    /// None measured: an older results.json.
    pub uploads: Vec<Uploaded>,
    pub tcp: Stats,
    pub memcpy: Stats,
    /// iperf3's loopback MB/s; None when it is not installed.
    pub iperf3: Option<f64>,
    pub pyarrow_version: Option<String>,
}

/// What a row of the throughput table shows, and the chart's bar.
pub struct Row<'a> {
    /// In the printed table.
    pub name: &'a str,
    /// In the book's table and chart.
    pub long_name: &'a str,
    pub stats: Option<&'a Stats>,
    /// None: not measured (iperf3 not installed).
    pub mb_per_s: Option<f64>,
    pub clients_mb_per_s: Option<f64>,
    pub round_trip: Option<RoundTrip>,
    /// The machine's own limits, for scale, rather than a Flight transfer.
    pub limit: bool,
}

pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

pub fn mib(bytes: Option<u64>) -> String {
    bytes.map_or_else(
        || "n/a".to_string(),
        |b| format!("{:.0} MiB", b as f64 / (1 << 20) as f64),
    )
}

/// `0.52`, or `n/a`.
pub fn seconds_per_gb(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |v| format!("{v:.2}"))
}

/// `1234`, or `n/a`.
pub fn whole(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |v| format!("{v:.0}"))
}

/// `120 / 480` microseconds, or `n/a`.
pub fn round_trip(value: Option<RoundTrip>) -> String {
    value.map_or_else(
        || "n/a".to_string(),
        |r| {
            format!(
                "{:.0} / {:.0}",
                r.p50.as_secs_f64() * 1e6,
                r.p99.as_secs_f64() * 1e6
            )
        },
    )
}

/// `text` in lines of at most `width` columns, broken at spaces.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            out += &line;
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line += word;
    }
    if !line.is_empty() {
        out += &line;
        out.push('\n');
    }
    out
}

impl Report {
    fn find(&self, name: &str) -> Option<&Measured> {
        self.measured.iter().find(|m| m.name == name)
    }

    /// The throughput table's rows: the pairs, then the machine's limits.
    pub fn rows(&self) -> Vec<Row<'_>> {
        let mut rows: Vec<Row> = self
            .measured
            .iter()
            .map(|m| Row {
                name: &m.name,
                long_name: &m.name,
                stats: Some(&m.stats),
                mb_per_s: Some(m.stats.mb_per_s(self.bytes)),
                clients_mb_per_s: m.clients_mb_per_s,
                round_trip: m.round_trip,
                limit: false,
            })
            .collect();
        for (name, long_name, stats) in [
            ("loopback tcp", "loopback tcp (plain sockets)", &self.tcp),
            ("memcpy", "memcpy", &self.memcpy),
        ] {
            rows.push(Row {
                name,
                long_name,
                stats: Some(stats),
                mb_per_s: Some(stats.mb_per_s(self.bytes)),
                clients_mb_per_s: None,
                round_trip: None,
                limit: true,
            });
        }
        rows.push(Row {
            name: "iperf3 tcp",
            long_name: "iperf3 (loopback tcp)",
            stats: None,
            mb_per_s: self.iperf3,
            clients_mb_per_s: None,
            round_trip: None,
            limit: true,
        });
        rows
    }

    /// What the columns mean, and how each figure was measured.
    pub fn legend(&self) -> String {
        let (runs, clients) = (self.runs, self.clients_at_once);
        format!(
            "lesson->lesson: the lesson's server (solution-02-server); rust->rust: fast-flight's \
             server (the lesson's, with the table encoded once, and mimalloc); both read by \
             bench-client, the lesson's client code (flight_client::read_table); pyarrow: the \
             page's Python programs; each its own process. {clients} clients: {clients} client processes reading from one server at \
             once, {runs} reads each, MB/s of all of them together. {} rows: another server, \
             with a {}-row table, one client, {} timed round trips: p50 / p99 in microseconds. \
             CPU s/GB: user + sys seconds per GB (10^9 bytes) moved; faults/fetch: minor page \
             faults per read. A server's cover the reads it served one client: its {runs} timed \
             reads and its warm-up read ({} fetches); a client's cover its {runs} timed reads. \
             /proc counts CPU time in 10 ms ticks: with a small table these are coarse. Peak \
             RSS: each process's own high-water mark (VmHWM), a server's once its one client is \
             done.",
            self.round_trip_rows,
            self.round_trip_rows,
            self.round_trip_reads,
            runs + 1,
        )
    }

    /// The tables printed at the end of a run, at most [`COLUMNS`] wide:
    /// throughput, then costs, then the legend.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{} rows ({:.1} MB), {} runs each after a warm-up read, median [min - max]\n\n\
             {:<16} {:>24} {:>8} {:>15} {:>25}\n",
            self.rows,
            self.bytes as f64 / 1e6,
            self.runs,
            "transfer",
            "milliseconds",
            "MB/s",
            format!("{} clients MB/s", self.clients_at_once),
            format!("{} rows p50 / p99 us", self.round_trip_rows),
        );
        for row in self.rows() {
            let milliseconds = match (row.stats, row.mb_per_s) {
                (Some(s), _) => {
                    format!("{:.1} [{:.1} - {:.1}]", ms(s.median), ms(s.min), ms(s.max))
                }
                (None, Some(_)) => "one run".to_string(),
                (None, None) => "not installed".to_string(),
            };
            let (clients, trips) = match row.limit {
                true => (String::new(), String::new()),
                false => (whole(row.clients_mb_per_s), round_trip(row.round_trip)),
            };
            let mb_per_s = row.mb_per_s.map_or(String::new(), |v| format!("{v:.0}"));
            let line = format!(
                "{:<16} {milliseconds:>24} {mb_per_s:>8} {clients:>15} {trips:>25}",
                row.name
            );
            out += line.trim_end();
            out.push('\n');
        }
        out += &format!(
            "\n{:<16} {:>17}  {:>19}  {:>19}\n\
             {:<16} {:>8} {:>8}  {:>9} {:>9}  {:>9} {:>9}\n",
            "",
            "CPU s/GB",
            "faults/fetch",
            "peak RSS",
            "costs",
            "server",
            "client",
            "server",
            "client",
            "server",
            "client",
        );
        for m in &self.measured {
            let [cpu_s, cpu_c, faults_s, faults_c, rss_s, rss_c] = self.cost_cells(m);
            out += &format!(
                "{:<16} {cpu_s:>8} {cpu_c:>8}  {faults_s:>9} {faults_c:>9}  {rss_s:>9} {rss_c:>9}\n",
                m.name,
            );
        }
        out += "\n";
        out += &wrap(&self.legend(), COLUMNS);
        out += &format!("\nthe table: {} in memory\n", mib(Some(self.bytes)));
        if !self.uploads.is_empty() {
            out += "\n";
            out += &self.uploads_table();
        }
        out
    }

    /// The uploads' table and what it means, at most [`UPLOAD_COLUMNS`] wide.
    pub fn uploads_table(&self) -> String {
        if self.uploads.is_empty() {
            return "No uploads were measured.\n".to_string();
        }
        let runs = self.runs;
        let mut out = format!(
            "{} rows ({:.1} MB) uploaded, {runs} times each after a warm-up upload\n\n\
             {:<16} {:>24} {:>8} {:>16} {:>16}\n",
            self.rows,
            self.bytes as f64 / 1e6,
            "upload (do_put)",
            "milliseconds",
            "MB/s",
            "server CPU s/GB",
            "server peak RSS",
        );
        for u in &self.uploads {
            let s = &u.stats;
            out += &format!(
                "{:<16} {:>24} {:>8.0} {:>16} {:>16}\n",
                u.name,
                format!("{:.1} [{:.1} - {:.1}]", ms(s.median), ms(s.min), ms(s.max)),
                s.mb_per_s(self.bytes),
                seconds_per_gb(u.server.cpu_per_gb(self.bytes)),
                mib(u.server.peak_rss),
            );
        }
        let legend = format!(
            "One client uploads the table to a dataset server on a fresh data directory, \
             as the dataset \"{}\", once to warm up and {runs} times timed, each replacing the \
             last; the server writes Parquet as it arrives. rust->rust: bench-client, as \
             step 6's upload program, to step 6's server (solution-06-datasets-server); \
             pyarrow->pyarrow: bench_client.py (do_put, write_table, close) to \
             python/datasets_server.py; both send batches of 65,536 rows. Step 6's server \
             syncs each file to disk (fsync) before it answers; pyarrow's does not. \
             Milliseconds: median [min - max], until the server has answered; MB/s: the \
             table's Arrow \
             bytes at the median. Server CPU s/GB: user + sys seconds per GB uploaded, \
             over its {} uploads; peak RSS: its high-water mark (VmHWM) after them.",
            flight_bench::UPLOADED,
            runs + 1,
        );
        out + "\n" + &wrap(&legend, UPLOAD_COLUMNS)
    }

    /// A pair's costs as printed: CPU s/GB, faults per fetch and peak RSS,
    /// server then client for each.
    pub fn cost_cells(&self, m: &Measured) -> [String; 6] {
        [
            seconds_per_gb(m.server.cpu_per_gb(self.bytes)),
            seconds_per_gb(m.client.cpu_per_gb(self.bytes)),
            whole(m.server.faults_per_fetch()),
            whole(m.client.faults_per_fetch()),
            mib(m.server.peak_rss),
            mib(m.client.peak_rss),
        ]
    }

    /// The last line, read by tools:
    /// `rust->rust 10000000 rows: 1764 MB/s, 1.55x pyarrow->pyarrow, 0.52 of loopback tcp`
    pub fn summary_line(&self) -> String {
        let ours = &self
            .find("rust->rust")
            .expect("rust->rust is always measured")
            .stats;
        let mb_s = ours.mb_per_s(self.bytes);
        let versus_pyarrow = self.find("pyarrow->pyarrow").map_or_else(
            || "pyarrow n/a".to_string(),
            |p| {
                format!(
                    "{:.2}x pyarrow->pyarrow",
                    mb_s / p.stats.mb_per_s(self.bytes)
                )
            },
        );
        let of_tcp = mb_s / self.tcp.mb_per_s(self.bytes);
        format!(
            "rust->rust {} rows: {mb_s:.0} MB/s, {versus_pyarrow}, {of_tcp:.2} of loopback tcp",
            self.rows
        )
    }

    /// Every figure, for `--json`.
    pub fn json(&self) -> Value {
        let stats = |s: &Stats| {
            json!({
                "median_s": s.median.as_secs_f64(),
                "min_s": s.min.as_secs_f64(),
                "max_s": s.max.as_secs_f64(),
                "mb_per_s": s.mb_per_s(self.bytes),
                "rows_per_s": s.rows_per_s(self.rows),
            })
        };
        let costs = |entry: &mut Value, side: &str, costs: &Costs| {
            entry[format!("{side}_fetches")] = json!(costs.fetches);
            entry[format!("{side}_cpu_s")] = json!(costs.cpu_seconds);
            entry[format!("{side}_minor_faults")] = json!(costs.minor_faults);
            entry[format!("{side}_cpu_s_per_gb")] = json!(costs.cpu_per_gb(self.bytes));
            entry[format!("{side}_faults_per_fetch")] = json!(costs.faults_per_fetch());
            entry[format!("{side}_peak_rss")] = json!(costs.peak_rss);
        };
        let pairs: Vec<Value> = self
            .measured
            .iter()
            .map(|m| {
                let mut entry = stats(&m.stats);
                entry["pair"] = json!(m.name);
                entry["clients_at_once_mb_per_s"] = json!(m.clients_mb_per_s);
                entry["round_trip_p50_us"] = json!(m.round_trip.map(|r| micros(r.p50)));
                entry["round_trip_p99_us"] = json!(m.round_trip.map(|r| micros(r.p99)));
                costs(&mut entry, "server", &m.server);
                costs(&mut entry, "client", &m.client);
                entry
            })
            .collect();
        // The server's fetches here are the uploads it stored.
        let uploads: Vec<Value> = self
            .uploads
            .iter()
            .map(|u| {
                let mut entry = stats(&u.stats);
                entry["pair"] = json!(u.name);
                costs(&mut entry, "server", &u.server);
                entry
            })
            .collect();
        json!({
            "date": today(),
            "machine": {
                "arch": std::env::consts::ARCH,
                "os": std::env::consts::OS,
                "cpus": std::thread::available_parallelism().map(|n| n.get()).ok(),
                "cpu": cpu_model(),
            },
            "versions": {
                "flight-path": env!("CARGO_PKG_VERSION"),
                "pyarrow": self.pyarrow_version,
            },
            "rows": self.rows,
            "runs": self.runs,
            "bytes": self.bytes,
            "clients_at_once": self.clients_at_once,
            "round_trip_rows": self.round_trip_rows,
            "round_trip_reads": self.round_trip_reads,
            "pairs": pairs,
            "uploads": uploads,
            "loopback_tcp": stats(&self.tcp),
            "memcpy": stats(&self.memcpy),
            "iperf3": self.iperf3.map(|mb_per_s| json!({ "mb_per_s": mb_per_s })),
            "summary": self.summary_line(),
        })
    }

    /// The figures [`Report::json`] wrote, read back: the book's tables and
    /// chart are drawn again from them without measuring again. Figures a
    /// file lacks (an older one's) read as n/a.
    pub fn from_json(json: &Value) -> anyhow::Result<Report> {
        let count = |key: &str| {
            json[key]
                .as_u64()
                .with_context(|| format!("no whole number \"{key}\""))
        };
        let stats = |value: &Value, what: &str| -> anyhow::Result<Stats> {
            let seconds = |key: &str| {
                value[key]
                    .as_f64()
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .map(Duration::from_secs_f64)
                    .with_context(|| format!("{what}: no \"{key}\""))
            };
            Ok(Stats {
                median: seconds("median_s")?,
                min: seconds("min_s")?,
                max: seconds("max_s")?,
            })
        };
        let costs = |entry: &Value, side: &str, fetches: usize| Costs {
            fetches: entry[format!("{side}_fetches")]
                .as_u64()
                .unwrap_or(fetches as u64),
            cpu_seconds: entry[format!("{side}_cpu_s")].as_f64(),
            minor_faults: entry[format!("{side}_minor_faults")].as_u64(),
            peak_rss: entry[format!("{side}_peak_rss")].as_u64(),
        };
        let runs: usize = count("runs")?.try_into()?;
        let measured = json["pairs"]
            .as_array()
            .context("no \"pairs\"")?
            .iter()
            .map(|pair| {
                let name = pair["pair"].as_str().context("a pair without a name")?;
                let us = |key: &str| {
                    pair[key]
                        .as_f64()
                        .filter(|us| us.is_finite() && *us >= 0.0)
                        .map(|us| Duration::from_secs_f64(us / 1e6))
                };
                let round_trip = match (us("round_trip_p50_us"), us("round_trip_p99_us")) {
                    (Some(p50), Some(p99)) => Some(RoundTrip { p50, p99 }),
                    _ => None,
                };
                Ok(Measured {
                    name: name.to_string(),
                    stats: stats(pair, name)?,
                    clients_mb_per_s: pair["clients_at_once_mb_per_s"].as_f64(),
                    round_trip,
                    server: costs(pair, "server", runs + 1),
                    client: costs(pair, "client", runs),
                })
            })
            .collect::<anyhow::Result<Vec<Measured>>>()?;
        // A file from before the uploads were measured has none.
        let uploads = json["uploads"]
            .as_array()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|upload| {
                let name = upload["pair"]
                    .as_str()
                    .context("an upload without a name")?;
                Ok(Uploaded {
                    name: name.to_string(),
                    stats: stats(upload, name)?,
                    server: costs(upload, "server", runs + 1),
                })
            })
            .collect::<anyhow::Result<Vec<Uploaded>>>()?;
        // The summary line is about it.
        anyhow::ensure!(
            measured.iter().any(|m| m.name == "rust->rust"),
            "no \"rust->rust\" pair"
        );
        let or = |key: &str, default: usize| {
            json[key]
                .as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(default)
        };
        Ok(Report {
            rows: count("rows")?.try_into()?,
            runs,
            bytes: count("bytes")?,
            clients_at_once: or("clients_at_once", CLIENTS_AT_ONCE),
            round_trip_rows: or("round_trip_rows", ROUND_TRIP_ROWS),
            round_trip_reads: or("round_trip_reads", ROUND_TRIP_READS),
            measured,
            uploads,
            tcp: stats(&json["loopback_tcp"], "loopback_tcp")?,
            memcpy: stats(&json["memcpy"], "memcpy")?,
            iperf3: json["iperf3"]["mb_per_s"].as_f64(),
            pyarrow_version: json["versions"]["pyarrow"].as_str().map(str::to_string),
        })
    }
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

/// The processor's name, from /proc/cpuinfo where it has one.
fn cpu_model() -> Option<String> {
    use procfs::Current;
    let info = procfs::CpuInfo::current().ok()?;
    info.model_name(0).map(str::to_string)
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock.
fn today() -> String {
    iso_date(time::OffsetDateTime::now_utc().date())
}

fn iso_date(date: time::Date) -> String {
    date.to_string()
}

#[cfg(test)]
pub mod tests {
    use super::*;

    fn stats(ms: u64) -> Stats {
        Stats::of(vec![Duration::from_millis(ms)])
    }

    /// A pair measured as a run measures it: every figure there.
    pub fn pair(name: &str, ms: u64) -> Measured {
        Measured {
            name: name.into(),
            stats: stats(ms),
            clients_mb_per_s: Some(2345.6),
            round_trip: Some(RoundTrip {
                p50: Duration::from_micros(250),
                p99: Duration::from_micros(1234),
            }),
            server: Costs {
                fetches: 8,
                cpu_seconds: Some(0.64),
                minor_faults: Some(1200),
                peak_rss: Some(180 << 20),
            },
            client: Costs {
                fetches: 7,
                cpu_seconds: Some(0.56),
                minor_faults: Some(280_000),
                peak_rss: Some(1 << 30),
            },
        }
    }

    /// An upload pair measured as a run measures it.
    pub fn upload(name: &str, ms: u64) -> Uploaded {
        Uploaded {
            name: name.into(),
            stats: stats(ms),
            server: Costs {
                fetches: 8,
                cpu_seconds: Some(1.28),
                minor_faults: Some(4000),
                peak_rss: Some(48 << 20),
            },
        }
    }

    pub fn report(with_pyarrow: bool) -> Report {
        let mut measured = vec![pair("lesson->lesson", 125), pair("rust->rust", 100)];
        let mut uploads = vec![upload("rust->rust", 400)];
        if with_pyarrow {
            measured.extend([
                pair("pyarrow->pyarrow", 200),
                pair("pyarrow->rust", 150),
                pair("rust->pyarrow", 180),
            ]);
            uploads.push(upload("pyarrow->pyarrow", 320));
        }
        Report {
            rows: 10_000_000,
            runs: 7,
            bytes: 160_000_000,
            clients_at_once: CLIENTS_AT_ONCE,
            round_trip_rows: ROUND_TRIP_ROWS,
            round_trip_reads: ROUND_TRIP_READS,
            measured,
            uploads,
            tcp: stats(50),
            memcpy: stats(10),
            iperf3: Some(6543.2),
            pyarrow_version: None,
        }
    }

    #[test]
    fn the_summary_line_has_the_agreed_form() {
        assert_eq!(
            report(true).summary_line(),
            "rust->rust 10000000 rows: 1600 MB/s, 2.00x pyarrow->pyarrow, 0.50 of loopback tcp"
        );
        assert_eq!(
            report(false).summary_line(),
            "rust->rust 10000000 rows: 1600 MB/s, pyarrow n/a, 0.50 of loopback tcp"
        );
    }

    #[test]
    fn the_json_reads_back_as_the_same_report() {
        let mut written = report(true);
        written.pyarrow_version = Some("26.0.1".into());
        written.measured[1].server.cpu_seconds = None;
        written.measured[2].round_trip = None;
        let json = written.json();
        let read = Report::from_json(&json).expect("read back");
        assert_eq!(read.table(), written.table());
        assert_eq!(read.summary_line(), written.summary_line());
        assert_eq!(read.pyarrow_version, written.pyarrow_version);
        assert_eq!(read.iperf3, written.iperf3);
        for (read, written) in read.measured.iter().zip(&written.measured) {
            assert_eq!(read.server, written.server);
            assert_eq!(read.client, written.client);
            assert_eq!(read.clients_mb_per_s, written.clients_mb_per_s);
            assert_eq!(read.round_trip.is_some(), written.round_trip.is_some());
        }
        assert_eq!(read.uploads_table(), written.uploads_table());
        assert_eq!(read.uploads.len(), 2);
        for (read, written) in read.uploads.iter().zip(&written.uploads) {
            assert_eq!(read.name, written.name);
            assert_eq!(read.server, written.server);
        }
        let upload = &json["uploads"][1];
        assert_eq!(upload["pair"], "pyarrow->pyarrow");
        assert_eq!(upload["mb_per_s"], 500.0);
        assert_eq!(upload["server_cpu_s_per_gb"], 1.0);
        assert_eq!(upload["server_peak_rss"], 48 << 20);
        // The derived figures are written too, for whoever reads the file.
        let rust = &json["pairs"][1];
        assert_eq!(rust["pair"], "rust->rust");
        assert_eq!(rust["server_cpu_s_per_gb"], Value::Null);
        assert_eq!(rust["client_cpu_s_per_gb"], 0.5);
        assert_eq!(rust["client_faults_per_fetch"], 40_000.0);
        assert_eq!(rust["round_trip_p50_us"], 250.0);
        assert_eq!(json["iperf3"]["mb_per_s"], 6543.2);

        // Without iperf3, and from a file that predates these figures.
        let mut without = report(false);
        without.iperf3 = None;
        let read = Report::from_json(&without.json()).expect("read back");
        assert_eq!(read.iperf3, None);
        assert!(read.table().contains("not installed"), "{}", read.table());
        let old = json!({
            "rows": 10, "runs": 2, "bytes": 160,
            "pairs": [{"pair": "rust->rust", "median_s": 0.1, "min_s": 0.1, "max_s": 0.1,
                       "client_peak_rss": 1048576}],
            "loopback_tcp": {"median_s": 0.1, "min_s": 0.1, "max_s": 0.1},
            "memcpy": {"median_s": 0.1, "min_s": 0.1, "max_s": 0.1},
        });
        let read = Report::from_json(&old).expect("an older file");
        assert!(read.uploads.is_empty());
        assert!(!read.table().contains("upload"), "{}", read.table());
        assert_eq!(read.uploads_table(), "No uploads were measured.\n");
        assert_eq!(read.measured[0].client.peak_rss, Some(1 << 20));
        assert_eq!(read.measured[0].server.fetches, 3);
        assert_eq!(read.measured[0].client.cpu_per_gb(read.bytes), None);
    }

    #[test]
    fn a_file_without_rust_to_rust_is_refused() {
        let mut json = report(false).json();
        json["pairs"] = json!([]);
        let error = Report::from_json(&json).err().expect("an error");
        assert_eq!(error.to_string(), "no \"rust->rust\" pair");
    }

    #[test]
    fn costs_are_per_gigabyte_moved_and_per_fetch() {
        let m = pair("rust->rust", 100);
        // The server: 0.64 s for 8 fetches of 160 MB (1.28 GB); the client: 0.56 s for 7 (1.12 GB).
        let server = m.server.cpu_per_gb(160_000_000).unwrap();
        let client = m.client.cpu_per_gb(160_000_000).unwrap();
        assert!((server - 0.5).abs() < 1e-12, "{server}");
        assert!((client - 0.5).abs() < 1e-12, "{client}");
        assert_eq!(m.server.faults_per_fetch(), Some(150.0));
        assert_eq!(m.client.faults_per_fetch(), Some(40_000.0));
        assert_eq!(Costs::default().faults_per_fetch(), None);
        assert_eq!(Costs::default().cpu_per_gb(1), None);
    }

    #[test]
    fn the_tables_fit_100_columns() {
        for report in [report(true), report(false)] {
            let table = report.table();
            let widest = table.lines().map(str::len).max().unwrap();
            assert!(widest <= COLUMNS, "{table}");
            assert!(table.is_ascii(), "{table}");
        }
    }

    #[test]
    fn the_tables_show_every_figure() {
        let table = report(true).table();
        for figure in [
            "100.0 [100.0 - 100.0]",
            "2346",
            "250 / 1234",
            "6543",
            // CPU s/GB, faults/fetch, peak RSS.
            "0.50",
            "150",
            "40000",
            "180 MiB",
            "1024 MiB",
        ] {
            assert!(table.contains(figure), "{figure}: {table}");
        }
        let rust = table
            .lines()
            .filter(|line| line.starts_with("rust->rust "))
            .collect::<Vec<_>>();
        // Throughput, costs, uploads.
        assert_eq!(rust.len(), 3, "{table}");
        assert!(rust[1].ends_with("1024 MiB"), "{table}");
        assert!(rust[2].ends_with("48 MiB"), "{table}");
        assert!(table.contains("(8 fetches)"), "{table}");
    }

    #[test]
    fn the_uploads_table_fits_the_book_and_shows_every_figure() {
        let report = report(true);
        let uploads = report.uploads_table();
        let widest = uploads.lines().map(str::len).max().unwrap();
        assert!(widest <= UPLOAD_COLUMNS, "{uploads}");
        // 160 MB in 0.4 s and 0.32 s; the server: 1.28 s for 8 uploads of 160 MB.
        let rust = uploads
            .lines()
            .find(|l| l.starts_with("rust->rust "))
            .unwrap();
        assert_eq!(
            rust.split_whitespace().collect::<Vec<_>>(),
            [
                "rust->rust",
                "400.0",
                "[400.0",
                "-",
                "400.0]",
                "400",
                "1.00",
                "48",
                "MiB"
            ]
        );
        assert!(uploads.contains("pyarrow->pyarrow"), "{uploads}");
        assert!(uploads.contains(" 500 "), "{uploads}");
        assert!(uploads.contains("over its 8 uploads"), "{uploads}");
        // The printed tables end with it.
        assert!(report.table().ends_with(&uploads), "{}", report.table());
    }

    #[test]
    fn text_is_wrapped_at_spaces() {
        assert_eq!(wrap("aa bb cc dd", 5), "aa bb\ncc dd\n");
        assert_eq!(wrap("aaaaaaa b", 5), "aaaaaaa\nb\n");
        assert_eq!(wrap("", 5), "");
    }

    #[test]
    fn dates_are_year_month_day() {
        let date = |y, m, d| time::Date::from_calendar_date(y, m, d).unwrap();
        assert_eq!(
            iso_date(date(2025, time::Month::November, 24)),
            "2025-11-24"
        );
        assert_eq!(iso_date(date(987, time::Month::February, 3)), "0987-02-03");
        let today = today();
        assert_eq!(today.len(), 10, "{today}");
        assert!(today.as_str() >= "2025-11-24", "{today}");
    }
}
