//! Edits to a script that keep its `RUN`'s style: where the operators
//! stand at line breaks (`&& \` at the end of a line, `\` then `&& …` on
//! the next, or `;` on a line of its own), `&&` or `;` lists under
//! `set -e`, the indentation of continuation lines, the file's escape
//! character and line ending.

use std::ops::Range;

use super::Script;
use crate::document::Document;
use crate::edits::Edit;

/// An operator between two top-level parts: (end of what precedes it,
/// (its span, its text), start of what follows).
type Separator<'s> = (usize, (Range<usize>, &'s str), usize);

/// Where a multi-line `RUN` puts its operators at line breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One line: `a && b`.
    Inline,
    /// `a && \` / `    b`.
    Trailing,
    /// `a \` / `    && b`.
    Leading,
    /// `a \` / `    ; \` / `    b`.
    OwnLine,
}

/// How a `RUN` writes its list of commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Style {
    pub layout: Layout,
    /// The operator between top-level commands: `;` when the script runs
    /// under `set -e` and uses `;`, else `&&`.
    pub operator: &'static str,
    /// Indentation of the line a new command goes on.
    pub indent: String,
}

impl Script {
    /// The style of this script as it stands in `doc`.
    pub fn style(&self, doc: &Document<'_>) -> Style {
        let text = doc.text;
        let mut layout = if self.heredoc || !text[self.span.clone()].contains('\n') {
            Layout::Inline
        } else {
            Layout::Trailing
        };
        let mut last_between_items = None;
        for (before, op, after) in self.separators() {
            if op.1 != "&&" && op.1 != "||" {
                last_between_items = Some(op.1);
            }
            if self.heredoc {
                continue;
            }
            let newline_before = text[before..op.0.start].contains('\n');
            let newline_after = text[op.0.end..after].contains('\n');
            layout = match (newline_before, newline_after) {
                (true, true) => Layout::OwnLine,
                (true, false) => Layout::Leading,
                (false, true) => Layout::Trailing,
                (false, false) => layout,
            };
        }
        let semicolons =
            last_between_items.is_some_and(|op| op != "&") && self.errexit_before(self.items.len());
        let operator = if semicolons { ";" } else { "&&" };
        Style {
            layout,
            operator,
            indent: self.indent(doc),
        }
    }

    /// Each operator between top-level pipelines or items: (end of what
    /// precedes it, (its span, its text), start of what follows).
    fn separators(&self) -> Vec<Separator<'_>> {
        let mut out = Vec::new();
        for (i, item) in self.items.iter().enumerate() {
            for (k, op) in item.operators.iter().enumerate() {
                out.push((
                    item.pipelines[k].span.end,
                    (op.span.clone(), op.text),
                    item.pipelines[k + 1].span.start,
                ));
            }
            if let (Some(term), Some(next)) = (&item.terminator, self.items.get(i + 1)) {
                out.push((
                    item.span.end,
                    (term.span.clone(), term.text),
                    next.span.start,
                ));
            }
        }
        out
    }

    /// The indentation of the line where the last pipeline starts, or of
    /// the script's last line when that pipeline starts on the `RUN` line.
    fn indent(&self, doc: &Document<'_>) -> String {
        let first_line = doc.line_start(self.span.start);
        let at = self
            .items
            .last()
            .and_then(|item| item.pipelines.last())
            .map_or(self.span.start, |p| p.span.start);
        let mut line = doc.line_start(at);
        if line == first_line && !self.heredoc {
            line = doc.line_start(self.span.end.saturating_sub(1).max(self.span.start));
        }
        if line == first_line && !self.heredoc {
            return String::new();
        }
        let rest = &doc.text[line..];
        rest[..rest.len() - rest.trim_start_matches([' ', '\t']).len()].to_owned()
    }

    /// An edit that runs `command` after everything else in the script,
    /// only when the script's status stays the one of its last command:
    /// `None` when the last list runs in the background.
    pub fn append(&self, doc: &Document<'_>, command: &str) -> Option<Edit> {
        let last = self.items.last()?;
        if last.terminator.as_ref().is_some_and(|t| t.text == "&") {
            return None;
        }
        let style = self.style(doc);
        let (esc, le, indent, op) = (doc.escape, doc.line_ending, &style.indent, style.operator);
        let text = if self.heredoc {
            if op == ";" {
                format!("{le}{indent}{command}")
            } else {
                format!(" && {command}")
            }
        } else {
            let op_after = if op == ";" { ";" } else { " &&" };
            match style.layout {
                Layout::Inline => format!("{op_after} {command}"),
                Layout::Trailing => format!("{op_after} {esc}{le}{indent}{command}"),
                Layout::Leading => format!(" {esc}{le}{indent}{op} {command}"),
                Layout::OwnLine => format!(" {esc}{le}{indent}{op} {esc}{le}{indent}{command}"),
            }
        };
        Some(Edit::insert(last.span.end, text))
    }

    /// An edit that deletes the simple command `command` with the operator
    /// that joins it to its neighbours, when it is a whole pipeline at the
    /// top of the script joined by `&&`, `;` or a newline, and the text to
    /// delete holds no comment. `None` otherwise (or when it is the only
    /// command).
    pub fn remove(&self, doc: &Document<'_>, command: usize) -> Option<Edit> {
        let (i, k) = self.position(command)?;
        let item = &self.items[i];
        let ops = &item.operators;
        let range = if item.pipelines.len() > 1 {
            if k + 1 < item.pipelines.len() {
                if ops[k].text != "&&" || (k > 0 && ops[k - 1].text != "&&") {
                    return None;
                }
                item.pipelines[k].span.start..item.pipelines[k + 1].span.start
            } else {
                if ops[k - 1].text != "&&" {
                    return None;
                }
                item.pipelines[k - 1].span.end..item.pipelines[k].span.end
            }
        } else if let Some(next) = self.items.get(i + 1) {
            if item.terminator.as_ref().is_some_and(|t| t.text == "&") {
                return None;
            }
            item.span.start..next.span.start
        } else {
            let previous = self.items.get(i.checked_sub(1)?)?;
            if previous.terminator.as_ref().is_some_and(|t| t.text == "&") {
                return None;
            }
            previous.span.end..item.span.end
        };
        if holds_comment(&doc.text[range.clone()]) {
            return None;
        }
        Some(Edit::delete(range))
    }

    /// Edits that delete the top-level commands `commands` (indices into the
    /// script's commands) with the operators that join them, keeping the
    /// rest's logic. Unlike [`Self::remove`], several at once: consecutive
    /// ones go together (their edits would overlap one by one), and when a
    /// comment line stands after a command, the operator before it goes
    /// instead. The error says why a command cannot go.
    pub fn remove_commands(
        &self,
        doc: &Document<'_>,
        commands: &[usize],
    ) -> Result<Vec<Edit>, String> {
        let script = self;
        let cannot = |c: usize| {
            format!(
                "`{}` cannot be removed alone",
                script.commands[c].one_line()
            )
        };
        let mut by_item: Vec<Vec<usize>> = vec![Vec::new(); script.items.len()];
        for &c in commands {
            let (i, k) = script.position(c).ok_or_else(|| cannot(c))?;
            by_item[i].push(k);
        }
        let mut ranges = Vec::new();
        let mut whole_items = Vec::new();
        for (i, ks) in by_item.iter().enumerate() {
            if ks.is_empty() {
                continue;
            }
            let item = &script.items[i];
            if ks.len() == item.pipelines.len() {
                whole_items.push(i);
                continue;
            }
            for group in groups(ks) {
                let (a, b) = (group[0], group[group.len() - 1]);
                // Every operator touching the group is `&&`.
                let touching = a.saturating_sub(1)..(b + 1).min(item.operators.len());
                if item.operators[touching].iter().any(|op| op.text != "&&") {
                    return Err(cannot(item.pipelines[a].commands[0].unwrap_or_default()));
                }
                // The operator after the group goes with it, or the one before
                // (so that a comment line after it stays).
                let mut options = Vec::new();
                if b + 1 < item.pipelines.len() {
                    options.push(item.pipelines[a].span.start..item.pipelines[b + 1].span.start);
                }
                if a > 0 {
                    options.push(item.pipelines[a - 1].span.end..item.pipelines[b].span.end);
                }
                ranges.push(options);
            }
        }
        for group in groups(&whole_items) {
            let (a, b) = (group[0], group[group.len() - 1]);
            let background = |i: usize| {
                script.items[i]
                    .terminator
                    .as_ref()
                    .is_some_and(|t| t.text == "&")
            };
            if group.iter().any(|&i| background(i)) {
                return Err("a cleanup runs in the background".into());
            }
            let mut options = Vec::new();
            if b + 1 < script.items.len() {
                options.push(script.items[a].span.start..script.items[b + 1].span.start);
            }
            if a > 0 && !background(a - 1) {
                options.push(script.items[a - 1].span.end..script.items[b].span.end);
            }
            if options.is_empty() {
                return Err("the RUN would be left empty".into());
            }
            ranges.push(options);
        }
        let mut edits = Vec::new();
        for options in ranges {
            let range = options
                .into_iter()
                .find(|range| !holds_comment(&doc.text[range.clone()]))
                .ok_or("a comment stands between the cleanup and the rest")?;
            edits.push(Edit::delete(range));
        }
        Ok(edits)
    }
}

/// Runs of consecutive numbers of a sorted list.
fn groups(sorted: &[usize]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    for &n in sorted {
        match out.last_mut() {
            Some(group) if group.last() == Some(&(n - 1)) => group.push(n),
            _ => out.push(vec![n]),
        }
    }
    out
}

/// A line of `text` after its first that is a comment.
pub(crate) fn holds_comment(text: &str) -> bool {
    text.split('\n')
        .skip(1)
        .any(|line| line.trim_start().starts_with('#'))
}

#[cfg(test)]
mod tests {
    #[test]
    fn consecutive_groups() {
        assert_eq!(super::groups(&[1, 2, 4]), [vec![1, 2], vec![4]]);
    }
}
