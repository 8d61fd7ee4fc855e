//! The throughput report of `pmmsim run --timings`: wall time per phase, path-epochs and
//! trades routed per second, threads used and peak memory, written to stderr.
//!
//! It only reads clocks, counts that follow from the inputs, and `/proc/self/status`; it
//! must never feed anything back into a run, so the scorecard is the same with or
//! without it.

use std::io::Write;
use std::time::Duration;

use crate::engine::Setup;

/// One timed phase of a run (the scenario's own paths, or the optimizer sweep).
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    /// `simulate` or `optimizer`.
    pub name: &'static str,
    /// Wall time of the phase.
    pub wall: Duration,
    /// Paths the phase ran.
    pub paths: u64,
    /// Paths times epochs.
    pub path_epochs: u64,
    /// Trades sent through the router (a sweep routes each trade once per fee branch).
    pub trades_routed: u64,
    /// Candidates per path (1 outside the sweep).
    pub candidates: u64,
}

impl Phase {
    /// Path-epochs per second of wall time.
    pub fn path_epochs_per_sec(&self) -> f64 {
        per_sec(self.path_epochs, self.wall)
    }

    /// Trades routed per second of wall time.
    pub fn trades_per_sec(&self) -> f64 {
        per_sec(self.trades_routed, self.wall)
    }
}

/// Everything `--timings` prints.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub scenario: String,
    /// Loading, checking and building the graph and route table.
    pub setup: Duration,
    pub phases: Vec<Phase>,
    /// From the start of `run` to the output written.
    pub total: Duration,
    /// Worker threads of the rayon pool.
    pub threads: u64,
    /// Peak resident set size (VmHWM), bytes; `None` where /proc is not available.
    pub peak_rss: Option<u64>,
}

/// Trades one path draws over the horizon (every epoch's count, volume shocks included).
pub fn trades_per_path(setup: &Setup) -> u64 {
    setup
        .schedule
        .epochs
        .iter()
        .map(|s| setup.flow.trade_count(s.volume_multiplier) as u64)
        .sum()
}

/// Peak resident set size of this process, bytes (`VmHWM` in `/proc/self/status`).
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vm_hwm(&status)
}

/// `VmHWM:  12345 kB` to bytes.
fn parse_vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn per_sec(count: u64, wall: Duration) -> f64 {
    let secs = wall.as_secs_f64();
    if secs > 0.0 { count as f64 / secs } else { 0.0 }
}

/// `1234567.0` as `1.23M`.
fn si(v: f64) -> String {
    match v {
        v if v >= 1e9 => format!("{:.2}G", v / 1e9),
        v if v >= 1e6 => format!("{:.2}M", v / 1e6),
        v if v >= 1e3 => format!("{:.1}k", v / 1e3),
        v => format!("{v:.0}"),
    }
}

impl Report {
    /// Wall time of the optimizer sweep over that of the single run, when both ran the
    /// same paths (the sweep's cost in units of one candidate's run).
    pub fn sweep_ratio(&self) -> Option<f64> {
        let single = self.phases.iter().find(|p| p.name == "simulate")?;
        let sweep = self.phases.iter().find(|p| p.name == "optimizer")?;
        let secs = single.wall.as_secs_f64();
        (sweep.paths == single.paths && secs > 0.0).then(|| sweep.wall.as_secs_f64() / secs)
    }

    /// The report as text, one figure per line.
    pub fn render(&self) -> String {
        let mut out = format!("pmmsim: timings for {}\n", self.scenario);
        out += &format!("  setup        {:>9.3} s\n", self.setup.as_secs_f64());
        for p in &self.phases {
            out += &format!(
                "  {:<12} {:>9.3} s  {} paths x {} candidate(s): {} path-epochs/s, {} trades routed/s\n",
                p.name,
                p.wall.as_secs_f64(),
                p.paths,
                p.candidates,
                si(p.path_epochs_per_sec()),
                si(p.trades_per_sec()),
            );
        }
        if let Some(ratio) = self.sweep_ratio() {
            out += &format!("  sweep cost   {ratio:>9.2}x one candidate's run of the same paths\n");
        }
        out += &format!("  total wall   {:>9.3} s\n", self.total.as_secs_f64());
        out += &format!("  threads      {:>9}\n", self.threads);
        out += &match self.peak_rss {
            Some(b) => format!(
                "  peak memory  {:>9.1} MiB (VmHWM)\n",
                b as f64 / (1024.0 * 1024.0)
            ),
            None => "  peak memory        n/a (no /proc/self/status)\n".to_string(),
        };
        out
    }

    /// Writes the report to stderr; a closed stderr is not an error worth failing for.
    pub fn print(&self) {
        let _ = std::io::stderr().lock().write_all(self.render().as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_vm_hwm_in_bytes() {
        let status = "Name:\tpmmsim\nVmPeak:\t  9000 kB\nVmHWM:\t    6276 kB\nVmRSS:\t 100 kB\n";
        assert_eq!(parse_vm_hwm(status), Some(6276 * 1024));
        assert_eq!(parse_vm_hwm("Name: x\n"), None);
    }

    #[test]
    fn renders_rates_per_second() {
        let report = Report {
            scenario: "s".into(),
            setup: Duration::from_millis(50),
            phases: vec![Phase {
                name: "simulate",
                wall: Duration::from_secs(2),
                paths: 1000,
                path_epochs: 365_000,
                trades_routed: 14_600_000,
                candidates: 1,
            }],
            total: Duration::from_secs(3),
            threads: 2,
            peak_rss: Some(10 * 1024 * 1024),
        };
        let text = report.render();
        assert!(text.contains("182.5k path-epochs/s"), "{text}");
        assert!(text.contains("7.30M trades routed/s"), "{text}");
        assert!(text.contains("10.0 MiB"), "{text}");
        assert!(text.contains("threads              2"), "{text}");
        assert!(!text.contains("sweep cost"), "{text}");
    }

    #[test]
    fn sweep_cost_is_the_optimizer_over_the_single_run() {
        let phase = |name, secs, candidates| Phase {
            name,
            wall: Duration::from_secs(secs),
            paths: 500,
            path_epochs: 500 * 365,
            trades_routed: 500 * 365 * 40,
            candidates,
        };
        let mut report = Report {
            scenario: "s".into(),
            setup: Duration::ZERO,
            phases: vec![phase("simulate", 4, 1), phase("optimizer", 10, 72)],
            total: Duration::from_secs(14),
            threads: 2,
            peak_rss: None,
        };
        assert_eq!(report.sweep_ratio(), Some(2.5));
        assert!(
            report.render().contains("sweep cost        2.50x"),
            "{}",
            report.render()
        );
        report.phases[1].paths = 64;
        assert_eq!(report.sweep_ratio(), None);
    }
}
