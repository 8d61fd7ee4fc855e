//! Progress on a terminal: log lines and a progress bar on stderr, or nothing with `--quiet`.

use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::app::Progress;

/// Draws [`Progress`] on stderr unless quiet.
pub struct TerminalProgress {
    quiet: bool,
    bar: Mutex<Option<ProgressBar>>,
}

impl TerminalProgress {
    pub fn new(quiet: bool) -> Self {
        Self {
            quiet,
            bar: Mutex::new(None),
        }
    }

    fn with_bar(&self, f: impl FnOnce(&mut Option<ProgressBar>)) {
        // A poisoned lock only means another thread panicked mid-update; the bar is
        // cosmetic, so keep drawing.
        let mut guard = self.bar.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut guard);
    }
}

impl Progress for TerminalProgress {
    fn note(&self, message: &str) {
        if !self.quiet {
            eprintln!("pmmsim: {message}");
        }
    }

    fn start(&self, paths: u64) {
        if self.quiet {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(paths), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} paths ({per_sec}, eta {eta})",
        ) {
            bar.set_style(style);
        }
        self.with_bar(|slot| *slot = Some(bar));
    }

    fn advance(&self, paths: u64) {
        self.with_bar(|slot| {
            if let Some(bar) = slot {
                bar.inc(paths);
            }
        });
    }

    fn finish(&self) {
        self.with_bar(|slot| {
            if let Some(bar) = slot.take() {
                bar.finish_and_clear();
            }
        });
    }
}
