//! The results as a bar chart (SVG) and a Markdown table, for the book.

use crate::report::Report;

const WIDTH: f64 = 640.0;
const LABEL: f64 = 140.0;
const BAR: f64 = 26.0;

/// MB/s per transfer, loopback TCP included for scale, as horizontal bars.
pub fn svg(report: &Report) -> String {
    let mut bars: Vec<(String, f64)> = report
        .measured
        .iter()
        .map(|m| (m.name.clone(), m.stats.mb_per_s(report.bytes)))
        .collect();
    bars.push((
        "loopback tcp".to_string(),
        report.tcp.mb_per_s(report.bytes),
    ));
    let top = bars.iter().map(|(_, v)| *v).fold(1.0, f64::max);
    let height = BAR * bars.len() as f64 + 40.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"13\">\n\
         <text x=\"{LABEL}\" y=\"16\">MB/s, {} rows, median of {} runs</text>\n",
        report.rows, report.runs
    );
    for (i, (name, value)) in bars.iter().enumerate() {
        let y = 26.0 + BAR * i as f64;
        let length = (WIDTH - LABEL - 70.0) * value / top;
        let colour = if name.starts_with("rust->rust") {
            "#c2410c"
        } else {
            "#6b7280"
        };
        svg += &format!(
            "<text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{name}</text>\n\
             <rect x=\"{LABEL}\" y=\"{:.0}\" width=\"{length:.0}\" height=\"{:.0}\" fill=\"{colour}\"/>\n\
             <text x=\"{:.0}\" y=\"{:.0}\">{value:.0}</text>\n",
            LABEL - 8.0,
            y + 16.0,
            y + 3.0,
            BAR - 6.0,
            LABEL + length + 6.0,
            y + 16.0
        );
    }
    svg + "</svg>\n"
}

/// The same figures as a Markdown table.
pub fn markdown(report: &Report) -> String {
    let mib = |b: Option<u64>| {
        b.map_or("n/a".to_string(), |b| {
            format!("{:.0} MiB", b as f64 / 1048576.0)
        })
    };
    let mut out = String::from(
        "| transfer (server->client) | median ms | min ms | max ms | MB/s | client peak RSS | server peak RSS |\n|---|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut row = |name: &str, s: &crate::stats::Stats, client, server| {
        out += &format!(
            "| {name} | {:.1} | {:.1} | {:.1} | {:.0} | {} | {} |\n",
            s.median.as_secs_f64() * 1e3,
            s.min.as_secs_f64() * 1e3,
            s.max.as_secs_f64() * 1e3,
            s.mb_per_s(report.bytes),
            mib(client),
            mib(server)
        );
    };
    for m in &report.measured {
        row(&m.name, &m.stats, m.client_peak_rss, m.server_peak_rss);
    }
    row("loopback tcp (plain sockets)", &report.tcp, None, None);
    row("memcpy", &report.memcpy, None, None);
    out
}
