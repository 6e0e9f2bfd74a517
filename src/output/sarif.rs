//! SARIF 2.1.0 (code-scanning tools read it): every rule with its
//! documentation and help page, every finding as a result with its region
//! and, when it has one, its fix as replacements; files that could not be
//! processed as tool notifications. Columns count Unicode code points.

use std::collections::BTreeMap;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_sarif::sarif::{
    ArtifactChange, ArtifactContent, ArtifactLocation, Fix, Invocation, Location, Message,
    MultiformatMessageString, Notification, PhysicalLocation, PropertyBag, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent,
};

use crate::ignores::UNUSED_IGNORE;
use crate::report::{FileReport, Located, Outcome, Position};
use crate::rules::{self, Rule};

/// The OASIS schema of the format.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The tool's home page (`tool.driver.informationUri`): the project's
/// repository as `Cargo.toml` names it.
pub const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// What a path may keep unescaped in a URI: letters, digits, `-._~/`.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A file path as an URI reference: relative paths stay relative (to the
/// folder the tool ran in), absolute ones become `file://` URIs.
fn uri(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let encoded = utf8_percent_encode(&slashed, PATH).to_string();
    if slashed.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

/// Every rule the report may name, sorted by id (the pseudo-rule of unused
/// ignores included).
fn all_rules() -> Vec<&'static Rule> {
    let mut all: Vec<&'static Rule> = rules::ALL.to_vec();
    all.push(&UNUSED_IGNORE);
    all.sort_by_key(|r| r.id);
    all
}

fn descriptor(rule: &Rule) -> ReportingDescriptor {
    let doc = rule.doc();
    let mut properties = BTreeMap::new();
    properties.insert("codes".to_owned(), serde_json::json!(rule.codes));
    properties.insert("fix".to_owned(), serde_json::json!(rule.fix.as_str()));
    let descriptor = ReportingDescriptor::builder()
        .id(rule.id)
        .name(pascal_case(rule.id))
        .short_description(
            MultiformatMessageString::builder()
                .text(rule.summary)
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(rule.summary)
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(doc.clone())
                .markdown(doc)
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::json!("warning"))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        );
    match rules::help_uri(rule) {
        Some(help) => descriptor.help_uri(help).build(),
        None => descriptor.build(),
    }
}

/// A rule's `name`, which SARIF wants readable and distinct from its
/// `id`: `add-to-copy` → `AddToCopy`.
fn pascal_case(id: &str) -> String {
    // One word would differ from the id only in case, which SARIF counts as
    // the same: `pipefail` → `UsePipefail`.
    let prefix = if id.contains('-') { "" } else { "Use" };
    let words = id.split('-').flat_map(|part| {
        let mut chars = part.chars();
        chars
            .next()
            .map(|first| first.to_ascii_uppercase())
            .into_iter()
            .chain(chars)
    });
    prefix.chars().chain(words).collect()
}

fn region(start: Position, end: Position) -> Region {
    Region::builder()
        .start_line(start.line as i64)
        .start_column(start.column as i64)
        .end_line(end.line as i64)
        .end_column(end.column as i64)
        .build()
}

fn artifact(report: &FileReport) -> ArtifactLocation {
    ArtifactLocation::builder().uri(uri(&report.name)).build()
}

fn result(report: &FileReport, f: &Located, index: i64) -> SarifResult {
    let location = Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(artifact(report))
                .region(region(f.start, f.end))
                .build(),
        )
        .build();
    let result = SarifResult::builder()
        .rule_id(f.rule)
        .rule_index(index)
        .level(ResultLevel::Warning)
        .message(Message::builder().text(f.message.clone()).build())
        .locations(vec![location]);
    let Some(fix) = &f.fix else {
        return result.build();
    };
    let replacements: Vec<serde_sarif::sarif::Replacement> = fix
        .edits
        .iter()
        .map(|e| {
            serde_sarif::sarif::Replacement::builder()
                .deleted_region(region(e.start, e.end))
                .inserted_content(ArtifactContent::builder().text(e.content.clone()).build())
                .build()
        })
        .collect();
    let fix = Fix::builder()
        .description(
            Message::builder()
                .text(format!("{} fix by {}", fix.applicability.as_str(), f.rule))
                .build(),
        )
        .artifact_changes(
            // A fix that only writes another file has no change here
            // (SARIF wants at least one replacement per change).
            (!replacements.is_empty())
                .then(|| {
                    ArtifactChange::builder()
                        .artifact_location(artifact(report))
                        .replacements(replacements)
                        .build()
                })
                .into_iter()
                .chain(fix.files.iter().map(whole_file))
                .collect::<Vec<_>>(),
        )
        .build();
    result.fixes(vec![fix]).build()
}

/// A file the fix writes besides the Dockerfile (a `.dockerignore`): its
/// whole old text (none for a new file) replaced by the new one.
fn whole_file(file: &crate::edits::FileEdit) -> ArtifactChange {
    let old = file.before.as_deref().unwrap_or("");
    let deleted = Region::builder()
        .char_offset(0)
        .char_length(old.chars().count() as i64)
        .build();
    let replacement = serde_sarif::sarif::Replacement::builder()
        .deleted_region(deleted)
        .inserted_content(ArtifactContent::builder().text(file.after.clone()).build())
        .build();
    ArtifactChange::builder()
        .artifact_location(
            ArtifactLocation::builder()
                .uri(uri(&file.path.display().to_string()))
                .build(),
        )
        .replacements(vec![replacement])
        .build()
}

fn notification(message: &str, report: Option<&FileReport>) -> Notification {
    let notification = Notification::builder()
        .level(serde_json::json!("error"))
        .message(Message::builder().text(message).build());
    let Some(report) = report else {
        return notification.build();
    };
    let mut physical = PhysicalLocation::builder().artifact_location(artifact(report));
    let located = match report.error.as_ref().and_then(|e| e.at) {
        Some((line, column)) => physical
            .region(
                Region::builder()
                    .start_line(line as i64)
                    .start_column(column as i64)
                    .build(),
            )
            .build(),
        None => {
            physical = PhysicalLocation::builder().artifact_location(artifact(report));
            physical.build()
        }
    };
    notification
        .locations(vec![Location::builder().physical_location(located).build()])
        .build()
}

pub fn render(outcome: &Outcome) -> String {
    let all = all_rules();
    let index = |id: &str| all.iter().position(|r| r.id == id).map_or(-1, |i| i as i64);
    let results: Vec<SarifResult> = outcome
        .reports
        .iter()
        .flat_map(|r| r.findings.iter().map(move |f| (r, f)))
        .map(|(r, f)| result(r, f, index(f.rule)))
        .collect();
    let mut notifications: Vec<Notification> = outcome
        .errors
        .iter()
        .map(|e| notification(e, None))
        .collect();
    notifications.extend(
        outcome
            .reports
            .iter()
            .filter_map(|r| r.error.as_ref().map(|e| notification(&e.message, Some(r)))),
    );
    let invocation = Invocation::builder()
        .execution_successful(notifications.is_empty())
        .tool_execution_notifications(notifications)
        .build();
    let driver = ToolComponent::builder()
        .name("dockerfix")
        .information_uri(INFORMATION_URI)
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .version(env!("CARGO_PKG_VERSION"))
        .rules(all.iter().map(|r| descriptor(r)).collect::<Vec<_>>())
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .invocations(vec![invocation])
        .results(results)
        .build();
    let sarif = Sarif::builder()
        .schema(SCHEMA_URI)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    let mut text = serde_json::to_string_pretty(&sarif).expect("plain data serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(uri("a/Dockerfile"), "a/Dockerfile");
        assert_eq!(uri("/tmp/x y/Dockerfile"), "file:///tmp/x%20y/Dockerfile");
        assert_eq!(uri("dir\\Dockerfile.dev"), "dir/Dockerfile.dev");
    }

    #[test]
    fn rule_names_differ_from_ids() {
        assert_eq!(pascal_case("add-to-copy"), "AddToCopy");
        assert_eq!(pascal_case("pipefail"), "UsePipefail");
        for rule in all_rules() {
            assert!(
                !pascal_case(rule.id).eq_ignore_ascii_case(rule.id),
                "{}",
                rule.id
            );
        }
        assert!(INFORMATION_URI.starts_with("https://"));
    }
}
