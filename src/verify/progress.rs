//! Progress of `verify` on a terminal: a bar per file being verified,
//! moving with the builder's steps (builds take seconds to minutes).

use std::collections::HashMap;
use std::sync::Mutex;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Bars on standard error, or nothing when it is not a terminal.
pub struct Bars {
    multi: Option<MultiProgress>,
    bars: Mutex<HashMap<String, ProgressBar>>,
}

impl Bars {
    pub fn new(enabled: bool) -> Self {
        Self {
            multi: enabled.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
            bars: Mutex::new(HashMap::new()),
        }
    }

    fn bar(&self, path: &str) -> Option<ProgressBar> {
        let multi = self.multi.as_ref()?;
        let mut bars = self.bars.lock().unwrap_or_else(|e| e.into_inner());
        let bar = bars.entry(path.to_owned()).or_insert_with(|| {
            let style =
                ProgressStyle::with_template("{spinner} {prefix} {bar:20} {pos}/{len} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
            let bar = multi.add(ProgressBar::new(1).with_style(style));
            bar.set_prefix(path.to_owned());
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        Some(bar.clone())
    }
}

impl super::Progress for Bars {
    fn update(&self, path: &str, phase: &str, step: Option<(u64, u64, &str)>) {
        let Some(bar) = self.bar(path) else { return };
        match step {
            Some((n, of, text)) => {
                bar.set_length(of);
                bar.set_position(n);
                let text: String = text.chars().take(60).collect();
                bar.set_message(format!("{phase}: {text}"));
            }
            None => {
                bar.set_position(0);
                bar.set_message(phase.to_owned());
            }
        }
    }

    fn finish(&self, path: &str) {
        let removed = self
            .bars
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(path);
        if let Some(bar) = removed {
            bar.finish_and_clear();
            if let Some(multi) = &self.multi {
                multi.remove(&bar);
            }
        }
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        if let Some(multi) = &self.multi {
            let _ = multi.clear();
        }
    }
}
