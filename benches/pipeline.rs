//! Micro-benchmarks of the pipeline on a docker-library style Dockerfile,
//! so regressions show in review: parse, check (all rules), fix (all
//! passes), and the unified diff. `cargo bench` runs them.

use criterion::{Criterion, criterion_group, criterion_main};
use dockerfix::document::Document;
use dockerfix::edits::fix_until_stable;
use dockerfix::output::{Style, unified_diff};
use dockerfix::rules;
use std::hint::black_box;

const LIBRARY_STYLE: &str = include_str!("data/library-style.Dockerfile");

fn bench(c: &mut Criterion) {
    // The same file 20 times over (stage names made unique): a large input.
    let large: String = (0..20)
        .map(|i| {
            LIBRARY_STYLE
                .replace(" AS base", &format!(" AS base{i}"))
                .replace("FROM base", &format!("FROM base{i}"))
                .replace(" AS build", &format!(" AS build{i}"))
                .replace("--from=build", &format!("--from=build{i}"))
                .replace(" AS final", &format!(" AS final{i}"))
        })
        .collect();
    for (name, text) in [
        ("library-style", LIBRARY_STYLE),
        ("library-style-x20", large.as_str()),
    ] {
        let doc = Document::parse(text).expect("bench input parses");
        let findings = rules::check(&doc, rules::ALL);
        let check = |d: &Document<'_>| rules::check(d, rules::ALL);
        let fixed = fix_until_stable(&doc, &findings, check, true)
            .expect("fixes")
            .text;

        c.bench_function(&format!("parse/{name}"), |b| {
            b.iter(|| Document::parse(black_box(text)).map(|d| d.stage_count()))
        });
        c.bench_function(&format!("check/{name}"), |b| {
            b.iter(|| rules::check(black_box(&doc), rules::ALL))
        });
        c.bench_function(&format!("fix/{name}"), |b| {
            b.iter(|| {
                fix_until_stable(black_box(&doc), &findings, check, true).map(|o| o.text.len())
            })
        });
        c.bench_function(&format!("diff/{name}"), |b| {
            b.iter(|| {
                unified_diff(
                    "Dockerfile",
                    black_box(text),
                    &fixed,
                    Style { color: false },
                )
                .len()
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
