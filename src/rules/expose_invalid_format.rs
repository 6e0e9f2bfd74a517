//! ## What it does
//! Reports `EXPOSE` ports written with an IP address or a host port:
//! `EXPOSE 127.0.0.1:80:80`, `EXPOSE 5000:5000`.
//!
//! ## Why is this bad?
//! `EXPOSE` only documents which container ports the image listens on;
//! which host address and port they are published to is decided by
//! `docker run -p`. BuildKit ignores the address and host port, warns that
//! they will become an error (ExposeInvalidFormat), and the image exposes
//! only the container port.
//!
//! ## Example
//! ```dockerfile
//! EXPOSE 0.0.0.0:8080:8080
//! ```
//!
//! Use instead:
//! ```dockerfile
//! EXPOSE 8080
//! ```
//!
//! ## Fix safety
//! No fix: the mapping says what the author expected `docker run` to do;
//! whoever runs the image should publish the port with `-p` instead.

use super::expose_proto_casing::ports;
use super::{FixKind, Report, Rule};
use crate::document::Document;

pub static RULE: Rule = Rule {
    id: "expose-invalid-format",
    codes: &["ExposeInvalidFormat"],
    fix: FixKind::None,
    summary: "EXPOSE takes container ports only, no IP address or host port",
    source: include_str!("expose_invalid_format.rs"),
    check,
};

fn check(doc: &Document<'_>, report: &mut Report) {
    for (span, port) in ports(doc) {
        if port.contains(':') {
            let message = format!(
                "EXPOSE instruction should not define an IP address or host-port mapping, found '{port}'"
            );
            report.push(span, message, None);
        }
    }
}
