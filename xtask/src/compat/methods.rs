//! Compare two surfaces: first the method tables (added, removed, renamed with the old name
//! kept as an alias, aliases, stability, params presence), then the payloads of every method
//! both have, each walked on its own ([`Walker`]) in the current table's order. What the
//! walks find is merged: one change per kind, direction, place and detail, listing one path
//! per method that reaches it (the shortest), in table order. Then every change is judged
//! with its reach ([`decide`]: the direction rule, v1 frozen, experimental). Deprecation
//! notes are documentation, not wire: kept in baselines but not compared.

use std::collections::HashMap;

use app_server_protocol::{Direction, MessageKind};

use super::Change;
use super::baseline::{Baseline, MethodEntry};
use super::compare::{Ctx, Finding, Walker};
use super::rules::{Fact, Kind, Reach, decide, is_frozen};
use super::shape::{AltKind, Node, Side, expand};

/// Every change from `before` to `after`, method table first, then payloads.
pub fn compare(before: &Baseline, after: &Baseline) -> Vec<Change> {
    let mut merged = Merged::default();
    let pairs = table(before, after, &mut merged);
    let mut walker = Walker::new(before, after);
    for (old, new) in pairs {
        payloads(&before.methods[old], &after.methods[new], after, &mut walker, &mut merged);
    }
    merged.finish()
}

/// The `at` of a change to the method table itself.
pub fn table_at(method: &str) -> String {
    format!("method {method}")
}

/// A change being merged: every path that reaches it, and how.
struct Pending {
    kind: Kind,
    direction: Direction,
    fact: Fact,
    at: String,
    detail: String,
    paths: Vec<String>,
    methods: Vec<String>,
    reach: Reach,
}

/// The changes found so far, one per kind, direction, place and detail.
#[derive(Default)]
struct Merged {
    pending: Vec<Pending>,
    index: HashMap<(Kind, Direction, String, String), usize>,
}

impl Merged {
    /// Adds a finding reached from `method`: a new change, or one more path of a known one
    /// (one path per method: the first, which a breadth-first walk makes a shortest).
    fn add(&mut self, finding: Finding, method: &str, reach: Reach) {
        let key = (finding.kind, finding.direction, finding.at.clone(), finding.detail.clone());
        match self.index.get(&key) {
            Some(&at) => {
                let pending = &mut self.pending[at];
                pending.reach = pending.reach.or(reach);
                if !pending.methods.iter().any(|m| m == method) {
                    pending.methods.push(method.to_owned());
                    pending.paths.push(finding.path);
                }
            }
            None => {
                self.index.insert(key, self.pending.len());
                self.pending.push(Pending {
                    kind: finding.kind,
                    direction: finding.direction,
                    fact: finding.fact,
                    at: finding.at,
                    detail: finding.detail,
                    paths: vec![finding.path],
                    methods: vec![method.to_owned()],
                    reach,
                });
            }
        }
    }

    /// Adds a change of the method table (`direction`: the method's, or its payload's).
    fn table(
        &mut self,
        kind: Kind,
        direction: Direction,
        fact: Fact,
        method: &str,
        reach: Reach,
        detail: String,
    ) {
        let finding = Finding {
            kind,
            direction,
            fact,
            at: table_at(method),
            path: method.to_owned(),
            detail,
            experimental: !reach.stable,
        };
        self.add(finding, method, reach);
    }

    /// Judges every change.
    fn finish(self) -> Vec<Change> {
        self.pending
            .into_iter()
            .map(|p| {
                let (verdict, note) = decide(p.kind, p.direction, p.fact, p.reach);
                let detail = match note {
                    Some(note) => format!("{}; {note}", p.detail),
                    None => p.detail,
                };
                Change {
                    kind: p.kind,
                    direction: p.direction,
                    verdict,
                    at: p.at,
                    paths: p.paths,
                    detail,
                    reason: None,
                }
            })
            .collect()
    }
}

/// The reach of a change to a method that exists on both sides (or one).
fn reach_of(old: Option<&MethodEntry>, new: Option<&MethodEntry>) -> Reach {
    let frozen = old.into_iter().chain(new).any(|m| is_frozen(&m.api));
    Reach { frozen, stable: !old.is_some_and(MethodEntry::is_experimental) }
}

/// Compares the method tables; returns the (before, after) index pairs whose payloads can
/// be compared.
fn table(before: &Baseline, after: &Baseline, merged: &mut Merged) -> Vec<(usize, usize)> {
    let mut matched = vec![false; before.methods.len()];
    let mut pairs = Vec::new();
    for (index, new) in after.methods.iter().enumerate() {
        match counterpart(before, after, new) {
            Some((old, true)) => {
                matched[old] = true;
                if entries(&before.methods[old], new, merged) {
                    pairs.push((old, index));
                }
            }
            Some((old, false)) => {
                matched[old] = true;
                let detail =
                    format!("was a {}, now a {}", before.methods[old].describe(), new.describe());
                let reach = reach_of(Some(&before.methods[old]), Some(new));
                merged.table(
                    Kind::MethodDirectionChanged,
                    new.direction,
                    Fact::None,
                    &new.name,
                    reach,
                    detail,
                );
            }
            None => {
                let aliases = if new.aliases.is_empty() {
                    String::new()
                } else {
                    format!("; also accepted as {}", quoted(&new.aliases))
                };
                let mut detail = format!("new {} `{}`{aliases}", new.describe(), new.name);
                let fact =
                    if new.kind == MessageKind::Request { Fact::Request } else { Fact::None };
                if new.direction == Direction::ServerToClient && fact == Fact::Request {
                    detail.push_str("; old clients can only answer it with -32601");
                }
                merged.table(
                    Kind::MethodAdded,
                    new.direction,
                    fact,
                    &new.name,
                    reach_of(None, Some(new)),
                    detail,
                );
            }
        }
    }
    for (old, _) in before.methods.iter().zip(&matched).filter(|(_, m)| !**m) {
        let detail = format!("{} `{}` removed", old.describe(), old.name);
        merged.table(
            Kind::MethodRemoved,
            old.direction,
            Fact::None,
            &old.name,
            reach_of(Some(old), None),
            detail,
        );
    }
    pairs
}

/// The baseline method `new` continues: `(index, true)` by name or by an alias that keeps
/// the old name (same direction), `(index, false)` by name in the other direction.
fn counterpart(before: &Baseline, after: &Baseline, new: &MethodEntry) -> Option<(usize, bool)> {
    let same = |b: &MethodEntry| b.direction == new.direction;
    let by_name = before.methods.iter().position(|b| same(b) && b.name == new.name);
    let renamed = || {
        before.methods.iter().position(|b| {
            same(b)
                && new.aliases.contains(&b.name)
                && !after.methods.iter().any(|a| a.name == b.name && a.direction == b.direction)
        })
    };
    let other_direction = || before.methods.iter().position(|b| b.name == new.name);
    by_name.or_else(renamed).map(|i| (i, true)).or_else(|| other_direction().map(|i| (i, false)))
}

/// Compares two entries of the same method: name, kind, aliases, stability. Returns whether
/// their payloads can be compared (same kind).
fn entries(old: &MethodEntry, new: &MethodEntry, merged: &mut Merged) -> bool {
    let reach = reach_of(Some(old), Some(new));
    let mut change = |kind: Kind, detail: String| {
        merged.table(kind, new.direction, Fact::None, &new.name, reach, detail)
    };
    if old.name != new.name {
        change(
            Kind::MethodRenamed,
            format!("`{}` → `{}`; the old name is still accepted as an alias", old.name, new.name),
        );
    }
    if old.kind != new.kind {
        change(
            Kind::MethodKindChanged,
            format!("was a {}, now a {}", old.describe(), new.describe()),
        );
        return false;
    }
    for alias in old.aliases.iter().filter(|a| !new.aliases.contains(a) && **a != new.name) {
        change(Kind::AliasRemoved, format!("alias `{alias}` no longer accepted"));
    }
    for alias in new.aliases.iter().filter(|a| !old.aliases.contains(a) && **a != old.name) {
        change(Kind::AliasAdded, format!("`{alias}` now accepted as an alias"));
    }
    match (old.is_experimental(), new.is_experimental()) {
        (false, true) => change(Kind::MadeExperimental, "stable → experimental".to_owned()),
        (true, false) => change(Kind::MadeStable, "experimental → stable".to_owned()),
        _ => {}
    }
    true
}

/// Walks the params and the result of a method both tables have.
fn payloads<'a>(
    old: &'a MethodEntry,
    new: &'a MethodEntry,
    after: &'a Baseline,
    walker: &mut Walker<'a>,
    merged: &mut Merged,
) {
    let reach = reach_of(Some(old), Some(new));
    for (role, b, a, direction) in [
        ("params", &old.params, &new.params, new.params_direction()),
        ("result", &old.result, &new.result, new.result_direction()),
    ] {
        match (b, a) {
            (Some(b), Some(a)) => {
                let ctx = Ctx::root(direction, &new.name, role, old.is_experimental());
                let findings = walker.walk(
                    Node::new(b, format!("{}:{role}", old.name)),
                    Node::new(a, format!("{}:{role}", new.name)),
                    ctx,
                );
                for finding in findings {
                    let reach = Reach { stable: !finding.experimental, ..reach };
                    merged.add(finding, &new.name, reach);
                }
            }
            (None, Some(a)) => {
                let required = has_required_field(a, after.defs(direction));
                let fact = if required { Fact::Required } else { Fact::Optional };
                let detail = format!(
                    "took no {role}, now takes {}{role}",
                    if required { "required " } else { "optional " }
                );
                merged.table(Kind::ParamsAdded, direction, fact, &new.name, reach, detail);
            }
            (Some(_), None) => {
                let detail = format!("no longer has {role}");
                merged.table(Kind::ParamsRemoved, direction, Fact::None, &new.name, reach, detail);
            }
            (None, None) => {}
        }
    }
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
    alts.alts.iter().any(|alt| {
        matches!(&alt.kind, AltKind::Object(object) if object.props.values().any(|p| p.required))
    })
}
