//! Compare two surfaces: first the method tables (added, removed, renamed with the old name
//! kept as an alias, aliases, params presence), then the payloads of every method both have,
//! in the current table's order, through [`Walker`]. Deprecation notes and stability are
//! documentation, not wire: they are kept in baselines but not compared.

use super::Change;
use super::baseline::{Baseline, MethodEntry};
use super::compare::{Ctx, Walker};
use super::rules::{Fact, Flow, Kind, judge};
use super::shape::{AltKind, Node, Side, expand};

fn table_change(
    kind: Kind,
    flow: Option<Flow>,
    fact: Fact,
    method: &str,
    detail: String,
) -> Change {
    Change {
        kind,
        flow,
        verdict: judge(kind, flow, fact),
        at: format!("method {method}"),
        path: method.to_owned(),
        detail,
        reason: None,
    }
}

/// Every change from `before` to `after`, method table first, then payloads.
pub fn compare(before: &Baseline, after: &Baseline) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut walker = Walker::new([&before.input, &before.output], [&after.input, &after.output]);
    let mut matched = vec![false; before.methods.len()];
    for new in &after.methods {
        let same = |b: &MethodEntry| b.direction == new.direction;
        let by_name = before.methods.iter().position(|b| same(b) && b.name == new.name);
        let renamed = || {
            before.methods.iter().position(|b| {
                same(b)
                    && new.aliases.contains(&b.name)
                    && !after.methods.iter().any(|a| a.name == b.name && a.direction == b.direction)
            })
        };
        let Some(index) = by_name.or_else(renamed) else {
            if let Some(index) = before.methods.iter().position(|b| b.name == new.name) {
                matched[index] = true;
                let detail =
                    format!("was a {}, now a {}", before.methods[index].describe(), new.describe());
                changes.push(table_change(
                    Kind::MethodDirectionChanged,
                    None,
                    Fact::None,
                    &new.name,
                    detail,
                ));
                continue;
            }
            let aliases = if new.aliases.is_empty() {
                String::new()
            } else {
                format!("; also accepted as {}", quoted(&new.aliases))
            };
            let detail = format!("new {} `{}`{aliases}", new.describe(), new.name);
            changes.push(table_change(Kind::MethodAdded, None, Fact::None, &new.name, detail));
            continue;
        };
        matched[index] = true;
        let old = &before.methods[index];
        if old.name != new.name {
            let detail = format!(
                "`{}` → `{}`; the old name is still accepted as an alias",
                old.name, new.name
            );
            changes.push(table_change(Kind::MethodRenamed, None, Fact::None, &new.name, detail));
        }
        if old.kind != new.kind {
            let detail = format!("was a {}, now a {}", old.describe(), new.describe());
            changes.push(table_change(
                Kind::MethodKindChanged,
                None,
                Fact::None,
                &new.name,
                detail,
            ));
            continue;
        }
        for alias in old.aliases.iter().filter(|a| !new.aliases.contains(a) && **a != new.name) {
            changes.push(table_change(
                Kind::AliasRemoved,
                None,
                Fact::None,
                &new.name,
                format!("alias `{alias}` no longer accepted"),
            ));
        }
        for alias in new.aliases.iter().filter(|a| !old.aliases.contains(a) && **a != old.name) {
            changes.push(table_change(
                Kind::AliasAdded,
                None,
                Fact::None,
                &new.name,
                format!("`{alias}` now accepted as an alias"),
            ));
        }
        for (role, b, a, flow) in [
            ("params", &old.params, &new.params, new.params_flow()),
            ("result", &old.result, &new.result, new.result_flow()),
        ] {
            match (b, a) {
                (Some(b), Some(a)) => {
                    let ctx = Ctx::root(flow, &new.name, role);
                    walker.compare(
                        Node::new(b, format!("{}:{role}", old.name)),
                        Node::new(a, format!("{}:{role}", new.name)),
                        ctx,
                    );
                }
                (None, Some(a)) => {
                    let required = has_required_field(a, after.defs(flow));
                    let fact = if required { Fact::Required } else { Fact::Optional };
                    let detail = format!(
                        "took no {role}, now takes {}{role}",
                        if required { "required " } else { "optional " }
                    );
                    changes.push(table_change(
                        Kind::ParamsAdded,
                        Some(flow),
                        fact,
                        &new.name,
                        detail,
                    ));
                }
                (Some(_), None) => {
                    changes.push(table_change(
                        Kind::ParamsRemoved,
                        Some(flow),
                        Fact::None,
                        &new.name,
                        format!("no longer has {role}"),
                    ));
                }
                (None, None) => {}
            }
        }
    }
    for (old, _) in before.methods.iter().zip(&matched).filter(|(_, m)| !**m) {
        let detail = format!("{} `{}` removed", old.describe(), old.name);
        changes.push(table_change(Kind::MethodRemoved, None, Fact::None, &old.name, detail));
    }
    changes.extend(walker.changes);
    changes
}

fn quoted(names: &[String]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// Whether a payload schema is an object with a required field.
fn has_required_field(
    schema: &serde_json::Value,
    defs: &serde_json::Map<String, serde_json::Value>,
) -> bool {
    let alts = expand(&Node::new(schema, "payload"), Side { defs });
    alts.alts.iter().any(|alt| matches!(&alt.kind, AltKind::Object(object) if object.props.values().any(|p| p.required)))
}
