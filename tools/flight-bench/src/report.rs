//! The results: a table for people, one line for tools, JSON for the book.

use std::time::Duration;

use anyhow::Context;
use serde_json::{Value, json};

use crate::peers::Side;
use crate::stats::Stats;

/// One measured pair.
pub struct Measured {
    pub name: String,
    pub stats: Stats,
    pub client_peak_rss: Option<u64>,
    pub server_peak_rss: Option<u64>,
}

pub struct Report {
    pub rows: usize,
    pub runs: usize,
    pub bytes: u64,
    pub measured: Vec<Measured>,
    pub tcp: Stats,
    pub memcpy: Stats,
    pub pyarrow_version: Option<String>,
}

/// `rust->pyarrow`: server first, then client.
pub fn pair_name(server: Side, client: Side) -> String {
    let name = |side| match side {
        Side::Rust => "rust",
        Side::Pyarrow => "pyarrow",
    };
    format!("{}->{}", name(server), name(client))
}

fn ms(duration: std::time::Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

fn mib(bytes: Option<u64>) -> String {
    bytes.map_or_else(
        || "n/a".to_string(),
        |b| format!("{:.0} MiB", b as f64 / (1 << 20) as f64),
    )
}

impl Report {
    fn find(&self, name: &str) -> Option<&Measured> {
        self.measured.iter().find(|m| m.name == name)
    }

    /// The table printed at the end of a run, 80 columns wide.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{} rows ({:.1} MB), {} runs each, median [min - max]\n\n\
             {:<16} {:>21} {:>7} {:>11} {:>10} {:>10}\n",
            self.rows,
            self.bytes as f64 / 1e6,
            self.runs,
            "transfer",
            "milliseconds",
            "MB/s",
            "rows/s",
            "client RSS",
            "server RSS"
        );
        let line = |name: &str, stats: &Stats, client: Option<u64>, server: Option<u64>| {
            format!(
                "{name:<16} {:>21} {:>7.0} {:>11.0} {:>10} {:>10}\n",
                format!(
                    "{:.1} [{:.1} - {:.1}]",
                    ms(stats.median),
                    ms(stats.min),
                    ms(stats.max)
                ),
                stats.mb_per_s(self.bytes),
                stats.rows_per_s(self.rows),
                mib(client),
                mib(server),
            )
        };
        for m in &self.measured {
            out += &line(&m.name, &m.stats, m.client_peak_rss, m.server_peak_rss);
        }
        out += &line("loopback tcp", &self.tcp, None, None);
        out += &line("memcpy", &self.memcpy, None, None);
        out += &format!("\nthe table: {} in memory\n", mib(Some(self.bytes)));
        out
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
        let pairs: Vec<Value> = self
            .measured
            .iter()
            .map(|m| {
                let mut entry = stats(&m.stats);
                entry["pair"] = json!(m.name);
                entry["client_peak_rss"] = json!(m.client_peak_rss);
                entry["server_peak_rss"] = json!(m.server_peak_rss);
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
            "pairs": pairs,
            "loopback_tcp": stats(&self.tcp),
            "memcpy": stats(&self.memcpy),
            "summary": self.summary_line(),
        })
    }

    /// The figures [`Report::json`] wrote, read back: the book's table and
    /// chart are drawn again from them without measuring again.
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
                    .map(Duration::from_secs_f64)
                    .with_context(|| format!("{what}: no \"{key}\""))
            };
            Ok(Stats {
                median: seconds("median_s")?,
                min: seconds("min_s")?,
                max: seconds("max_s")?,
            })
        };
        let measured = json["pairs"]
            .as_array()
            .context("no \"pairs\"")?
            .iter()
            .map(|pair| {
                let name = pair["pair"].as_str().context("a pair without a name")?;
                Ok(Measured {
                    name: name.to_string(),
                    stats: stats(pair, name)?,
                    client_peak_rss: pair["client_peak_rss"].as_u64(),
                    server_peak_rss: pair["server_peak_rss"].as_u64(),
                })
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Report {
            rows: count("rows")?.try_into()?,
            runs: count("runs")?.try_into()?,
            bytes: count("bytes")?,
            measured,
            tcp: stats(&json["loopback_tcp"], "loopback_tcp")?,
            memcpy: stats(&json["memcpy"], "memcpy")?,
            pyarrow_version: json["versions"]["pyarrow"].as_str().map(str::to_string),
        })
    }
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
mod tests {
    use super::*;

    fn stats(ms: u64) -> Stats {
        Stats::of(vec![Duration::from_millis(ms)])
    }

    fn report(with_pyarrow: bool) -> Report {
        let mut measured = vec![Measured {
            name: "rust->rust".into(),
            stats: stats(100),
            client_peak_rss: None,
            server_peak_rss: None,
        }];
        if with_pyarrow {
            measured.push(Measured {
                name: "pyarrow->pyarrow".into(),
                stats: stats(200),
                client_peak_rss: None,
                server_peak_rss: None,
            });
        }
        Report {
            rows: 10_000_000,
            runs: 7,
            bytes: 160_000_000,
            measured,
            tcp: stats(50),
            memcpy: stats(10),
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
        written.measured[0].client_peak_rss = Some(1 << 30);
        written.pyarrow_version = Some("26.0.1".into());
        let read = Report::from_json(&written.json()).expect("read back");
        assert_eq!(read.table(), written.table());
        assert_eq!(read.summary_line(), written.summary_line());
        assert_eq!(read.pyarrow_version, written.pyarrow_version);
    }

    #[test]
    fn the_table_fits_80_columns() {
        let table = report(true).table();
        let widest = table.lines().map(str::len).max().unwrap();
        assert!(widest <= 80, "{table}");
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
