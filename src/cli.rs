//! Command-line types (clap derive) and nothing else: parsing only, no behaviour. The
//! output formats are `crate::report`'s enums, used here as clap value enums.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::report::table::ColorChoice;
pub use crate::report::{DataFormat, Format};

/// `pmmsim --version`: the package version and the git commit it was built from
/// (`unknown` outside a git checkout; see `build.rs`).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("PMMSIM_GIT_COMMIT"),
    ")"
);

/// Monte Carlo risk simulator for cross-chain stablecoin PMM pools and the treasury behind them.
#[derive(Debug, Parser)]
#[command(name = "pmmsim", version = VERSION, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Style tables with colour and box drawing: `auto` when stdout is a terminal and
    /// NO_COLOR is unset, `always`, or `never`.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario and print or write its scorecard.
    Run(RunArgs),
    /// List the scenarios pmmsim knows, one line each.
    #[command(after_help = "Examples:\n  pmmsim list\n  \
                            pmmsim list --format json | jq -r '.scenarios[].name'")]
    List(ListArgs),
    /// CI gate: check every config, the bridge-buffer rule and the gate scenarios' policy
    /// gates. Exit 0 all pass, 1 a gate or rule fails, 2 a config is unreadable or invalid.
    Validate(ValidateArgs),
    /// Render a saved scorecard (from `run --format json` or `merge`) in another format,
    /// without simulating; the file gets the checks `diff` applies.
    #[command(after_help = "Examples:\n  pmmsim report run.json\n  \
                            pmmsim report run.json --format markdown -o run.md\n  \
                            pmmsim report run.json --export-csv run.csv --export-prometheus run.prom")]
    Report(ReportArgs),
    /// Combine the partial results of `run --shard K/N` into one scorecard, identical to
    /// an unsharded run (apart from `run_info`).
    Merge(MergeArgs),
    /// Compare two scorecard files metric by metric, graded by the dashboard's alert
    /// table. Exit 0 nothing at or above --fail-on, 1 something is, 2 a file is unreadable.
    Diff(DiffArgs),
    /// Write Prometheus alerting rules (YAML) for `run --format prometheus` metrics: the
    /// policy's gates as critical alerts, the dashboard's warnings, runbook steps attached.
    AlertRules(AlertRulesArgs),
    /// Print the JSON Schema of an input file or of the scorecard (committed copies:
    /// docs/schemas/*.schema.json and docs/scorecard.schema.json).
    #[command(
        after_help = "Examples:\n  pmmsim schema scenario -o scenario.schema.json\n  \
                            pmmsim schema            # the scorecard's schema"
    )]
    Schema(SchemaArgs),
    /// Print a shell completion script.
    #[command(after_help = "Examples:\n  \
        pmmsim completions bash > ~/.local/share/bash-completion/completions/pmmsim\n  \
        pmmsim completions zsh > \"${fpath[1]}/_pmmsim\"\n  \
        pmmsim completions fish > ~/.config/fish/completions/pmmsim.fish\n  \
        pmmsim completions powershell >> $PROFILE")]
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per subcommand into a directory.
    #[command(after_help = "Examples:\n  pmmsim man | man -l -\n  \
                            pmmsim man --dir ~/.local/share/man/man1")]
    Man(ManArgs),
}

/// The lowest `diff` severity that makes the exit status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Only a gate crossed in the new scorecard.
    Critical,
    /// Also a rise beyond Monte Carlo noise or a gate still failing.
    Warning,
    /// Always exit 0 (report only).
    Never,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario name (see `pmmsim list`) or path to a scenario JSON file.
    #[arg(required_unless_present = "from")]
    pub scenario: Option<String>,
    /// Run again the inputs embedded in a scorecard (scenario, policy, deployment,
    /// overrides, --optimizer, --rare-events, --precision) and reproduce it: equal apart
    /// from `run_info`. The scorecard's digest and inputs hash must match (exit 2 if edited).
    #[arg(
        long,
        value_name = "SCORECARD",
        conflicts_with_all = [
            "scenario", "paths", "epochs", "seed", "volume_scale", "policy", "config_dir",
            "optimizer", "precision", "max_paths", "rare_events", "shard", "advise"
        ]
    )]
    pub from: Option<PathBuf>,
    /// Monte Carlo paths (default: the scenario's `monteCarlo.paths`).
    #[arg(long)]
    pub paths: Option<u64>,
    /// Epochs per path (default: the scenario's `monteCarlo.epochs`).
    #[arg(long)]
    pub epochs: Option<u32>,
    /// Base seed (default: the scenario's `monteCarlo.seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Run only shard K of N (0-based) and write a partial result (JSON) for `pmmsim merge`;
    /// e.g. `--shard $SLURM_ARRAY_TASK_ID/16`.
    #[arg(long, value_name = "K/N", value_parser = crate::shard::parse_shard)]
    pub shard: Option<crate::engine::Shard>,
    /// Multiply every scenario's trades per epoch by this factor (a what-if on volume).
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub volume_scale: Option<f64>,
    /// Worker threads (0 = one per core; at most 4 per core). Results do not depend on it.
    #[arg(long, default_value_t = 0, value_parser = crate::config::limits::parse_threads)]
    pub threads: usize,
    /// Policy file (default: capital-efficiency-policy.json from the config dir or built in).
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Directory whose files override the built-in configs.
    #[arg(long)]
    pub config_dir: Option<PathBuf>,
    /// Run the optimizer sweep over leverage, alpha and spread (on by default for
    /// scenarios whose `optimizer.enabled` is true).
    #[arg(long)]
    pub optimizer: bool,
    /// Output format [default: from the -o file's extension (.json, .md, .prom, .csv),
    /// else table].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the output to FILE (atomically) instead of stdout; `-` is stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub export: ExportArgs,
    /// Write one row per path (ROI, drawdown, liquidation, floor breaches, peg deviation,
    /// capital at end, routing figures) to FILE: CSV for a `.csv` name, else Parquet.
    /// With --shard, the shard's paths (global path indices).
    #[arg(long, value_name = "FILE")]
    pub paths_out: Option<PathBuf>,
    /// No progress bar or log lines on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print a throughput report to stderr: wall time, path-epochs and trades routed per
    /// second, threads used and peak memory. The scorecard is unchanged.
    #[arg(long)]
    pub timings: bool,
    /// Size the run to its question: start at --paths (default 512) and double the paths
    /// until every critical gate is resolved (pass or fail) or --max-paths is reached.
    #[arg(long)]
    pub precision: bool,
    /// Path budget of a sized run (--precision).
    #[arg(long, value_name = "N", default_value_t = crate::app::sized::DEFAULT_MAX_PATHS)]
    pub max_paths: u64,
    /// Importance-sample the drivers of tail losses (asset shocks, redemption intensity) and
    /// weight every estimate; the scorecard gains a `rare_events` block.
    #[arg(long)]
    pub rare_events: bool,
    /// When a gate fails, simulate the runbook procedure that answers it (deleverage,
    /// redemption throttle, treasury liquidity deployment, peg circuit breaker) on the same
    /// paths and show whether the gates then pass; the scorecard gains an `advice` block.
    #[arg(long, conflicts_with = "shard")]
    pub advise: bool,
}

/// Extra outputs of one run, in hyperfine's style: each flag writes the scorecard in its
/// format to its file, beside the main output (`--format`/`-o`).
#[derive(Debug, Args, Default, Clone)]
pub struct ExportArgs {
    /// Also write the scorecard as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub export_json: Option<PathBuf>,
    /// Also write the Markdown summary to FILE.
    #[arg(long, value_name = "FILE")]
    pub export_markdown: Option<PathBuf>,
    /// Also write the metric rows as CSV to FILE.
    #[arg(long, value_name = "FILE")]
    pub export_csv: Option<PathBuf>,
    /// Also write the Prometheus exposition to FILE.
    #[arg(long, value_name = "FILE")]
    pub export_prometheus: Option<PathBuf>,
    /// Also write the tables to FILE (plain ASCII).
    #[arg(long, value_name = "FILE")]
    pub export_table: Option<PathBuf>,
    /// Also write the offline HTML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub export_html: Option<PathBuf>,
}

impl ExportArgs {
    /// Every export asked for, as (format, file), in flag order. A new format is one
    /// field above and one line here.
    pub fn exports(&self) -> Vec<(Format, PathBuf)> {
        [
            (Format::Json, &self.export_json),
            (Format::Markdown, &self.export_markdown),
            (Format::Csv, &self.export_csv),
            (Format::Prometheus, &self.export_prometheus),
            (Format::Table, &self.export_table),
            (Format::Html, &self.export_html),
        ]
        .into_iter()
        .filter_map(|(f, p)| p.clone().map(|p| (f, p)))
        .collect()
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The scorecard file (`pmmsim run ... --format json`, or `pmmsim merge`).
    pub scorecard: PathBuf,
    /// Output format [default: from the -o file's extension (.json, .md, .prom, .csv),
    /// else table].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the output to FILE (atomically) instead of stdout; `-` is stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub export: ExportArgs,
}

/// A path count, or `auto`: size the run until its gates resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathCount {
    Fixed(u64),
    Auto,
}

/// Parses `--paths`: a positive integer or `auto`.
pub fn parse_path_count(text: &str) -> Result<PathCount, String> {
    if text.eq_ignore_ascii_case("auto") {
        return Ok(PathCount::Auto);
    }
    match text.parse::<u64>() {
        Ok(0) => Err("expected at least 1 path, or `auto`".into()),
        Ok(n) => Ok(PathCount::Fixed(n)),
        Err(_) => Err(format!(
            "expected a whole number of paths or `auto`, got `{text}`"
        )),
    }
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Directory whose files override the built-in configs.
    #[arg(long)]
    pub config_dir: Option<PathBuf>,
    /// Policy file to validate against.
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Monte Carlo paths per gate scenario, or `auto`: start at 512 and double until every
    /// critical gate is resolved (pass or fail) or --max-paths is reached.
    #[arg(long, value_name = "N|auto", default_value = "500", value_parser = parse_path_count)]
    pub paths: PathCount,
    /// Path budget per gate scenario of `--paths auto`.
    #[arg(long, value_name = "N", default_value_t = crate::app::sized::DEFAULT_MAX_PATHS)]
    pub max_paths: u64,
    /// Worker threads (0 = one per core; at most 4 per core).
    #[arg(long, default_value_t = 0, value_parser = crate::config::limits::parse_threads)]
    pub threads: usize,
    /// Output format (`table` or `json`).
    #[arg(long, value_enum, default_value_t = DataFormat::Table)]
    pub format: DataFormat,
    /// No progress or log lines on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The partial results, one per shard (any order).
    #[arg(required = true)]
    pub parts: Vec<PathBuf>,
    /// Output format [default: from the -o file's extension (.json, .md, .prom), else
    /// table].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the output to FILE (atomically) instead of stdout; `-` is stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The base (reference) scorecard, from `pmmsim run ... --format json`.
    pub base: PathBuf,
    /// The new scorecard to compare with it.
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DataFormat::Table)]
    pub format: DataFormat,
    /// Exit 1 when something reaches this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Critical)]
    pub fail_on: FailOn,
}

#[derive(Debug, Args)]
pub struct AlertRulesArgs {
    /// Policy file whose gates become the critical thresholds.
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Directory whose files override the built-in configs.
    #[arg(long)]
    pub config_dir: Option<PathBuf>,
    /// Alert when a scenario's served scorecard is older than this (a Prometheus
    /// duration: 90m, 26h, 2d); set it above the interval of the runs.
    #[arg(long, value_name = "DURATION", default_value = "26h")]
    pub max_age: crate::app::alerts::MaxAge,
    /// Where the runbook lives: each rule's `runbook_url` is this plus `#<alert name>`.
    #[arg(long, value_name = "URL", default_value = crate::app::alerts::DEFAULT_RUNBOOK)]
    pub runbook_url: String,
    /// Write the rules to FILE (atomically) instead of stdout; `-` is stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Which JSON Schema `pmmsim schema` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// A scenario file (config/scenarios/NAME.json).
    Scenario,
    /// The policy (config/capital-efficiency-policy.json).
    Policy,
    /// The deployment status (config/deployment-status.json).
    Deployment,
    /// The treasury liquidity commitments (config/treasury-liquidity-commitments.json).
    Commitments,
    /// The scorecard that `run --format json` writes.
    Scorecard,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which schema.
    #[arg(value_enum, default_value_t = SchemaKind::Scorecard)]
    pub kind: SchemaKind,
    /// Write the schema to FILE (atomically) instead of stdout; `-` is stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Directory whose scenarios are listed beside the built-in ones.
    #[arg(long)]
    pub config_dir: Option<PathBuf>,
    /// Output format: an aligned table with a header, or JSON (name, kind, file,
    /// description of each scenario).
    #[arg(long, value_enum, default_value_t = DataFormat::Table)]
    pub format: DataFormat,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write pmmsim.1 and one page per subcommand (pmmsim-run.1, ...) into DIR instead
    /// of printing pmmsim.1.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
