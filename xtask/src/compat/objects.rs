//! Compare two matched objects: fields added, removed, renamed (same key in another casing,
//! or the only removed and only added key with the same schema), required ↔ optional, then
//! each common field (queued for the walker), and what the object accepts beyond its fields.
//! Also the leaves: array items, integer ranges, string formats and patterns.

use std::collections::BTreeSet;

use serde_json::Value;

use super::compare::{Ctx, Walker};
use super::rules::{Fact, Flow, Kind};
use super::shape::{Additional, Alt, AltKind, Node, Object};

impl<'a> Walker<'a> {
    pub(super) fn diff_alt(&mut self, old: Alt<'a>, new: Alt<'a>, ctx: &Ctx, tagged: bool) {
        match (old.kind, new.kind) {
            (AltKind::Object(b), AltKind::Object(a)) => self.diff_object(b, a, ctx, tagged),
            (AltKind::Array(b), AltKind::Array(a)) => {
                let any = |id: String| Node::owned(Value::Bool(true), id);
                let b = b.unwrap_or_else(|| any(format!("{}/items", ctx.at())));
                let a = a.unwrap_or_else(|| any(format!("{}/items", ctx.at())));
                self.enqueue(&b, &a, ctx.suffix("[]"));
            }
            (AltKind::Integer(b), AltKind::Integer(a)) if b != a => {
                let fact = if b.within(a) {
                    Fact::Widened
                } else if a.within(b) {
                    Fact::Narrowed
                } else {
                    Fact::Changed
                };
                self.emit(
                    ctx,
                    Kind::RangeChanged,
                    fact,
                    format!("integer {} → {}", b.describe(), a.describe()),
                );
            }
            (
                AltKind::String { format: bf, pattern: bp },
                AltKind::String { format: af, pattern: ap },
            ) => {
                for (kind, what, b, a) in [
                    (Kind::FormatChanged, "format", bf, af),
                    (Kind::PatternChanged, "pattern", bp, ap),
                ] {
                    let fact = match (&b, &a) {
                        (None, Some(_)) => Fact::Narrowed,
                        (Some(_), None) => Fact::Widened,
                        (Some(x), Some(y)) if x != y => Fact::Changed,
                        _ => continue,
                    };
                    let show = |v: &Option<String>| {
                        v.as_ref().map_or("none".to_owned(), |v| format!("`{v}`"))
                    };
                    self.emit(
                        ctx,
                        kind,
                        fact,
                        format!("string {what} {} → {}", show(&b), show(&a)),
                    );
                }
            }
            _ => {}
        }
    }

    /// Compares two objects; `tagged` when they are variants of a union matched by their tag
    /// (the tag properties are then not compared again).
    fn diff_object(&mut self, b: Object<'a>, a: Object<'a>, ctx: &Ctx, tagged: bool) {
        if let (true, Some(key)) = (tagged, b.external().filter(|key| a.external() == Some(*key))) {
            let (bp, ap) = (&b.props[key], &a.props[key]);
            return self.enqueue(&bp.node.clone(), &ap.node.clone(), ctx.clone());
        }
        let tags = if tagged {
            b.tag().into_iter().chain(a.tag()).map(|(key, _)| key).collect()
        } else {
            Vec::new()
        };
        let skip: BTreeSet<String> = tags.into_iter().collect();
        let mut removed: Vec<String> = b
            .props
            .keys()
            .filter(|k| !a.props.contains_key(*k) && !skip.contains(*k))
            .cloned()
            .collect();
        let mut added: Vec<String> = a
            .props
            .keys()
            .filter(|k| !b.props.contains_key(*k) && !skip.contains(*k))
            .cloned()
            .collect();
        let mut pairs: Vec<(String, String)> = b
            .props
            .keys()
            .filter(|k| a.props.contains_key(*k) && !skip.contains(*k))
            .map(|k| (k.clone(), k.clone()))
            .collect();
        removed.retain(|old| {
            match added.iter().position(|new| normalized(new) == normalized(old)) {
                Some(at) => {
                    let new = added.remove(at);
                    self.emit(
                        &ctx.push(&new),
                        Kind::KeyCasingChanged,
                        Fact::None,
                        format!("key `{old}` → `{new}`"),
                    );
                    pairs.push((old.clone(), new));
                    false
                }
                None => true,
            }
        });
        if let ([old], [new]) = (removed.as_slice(), added.as_slice()) {
            let (bp, ap) = (&b.props[old], &a.props[new]);
            if bp.required == ap.required && bare(&bp.node.schema) == bare(&ap.node.schema) {
                self.emit(
                    &ctx.push(new),
                    Kind::FieldRenamed,
                    Fact::None,
                    format!("key `{old}` → `{new}` (same schema)"),
                );
                pairs.push((old.clone(), new.clone()));
                removed.clear();
                added.clear();
            }
        }
        for key in &removed {
            let fact = if b.props[key].required { Fact::Required } else { Fact::Optional };
            let which = if b.props[key].required { "required" } else { "optional" };
            self.emit(
                &ctx.push(key),
                Kind::FieldRemoved,
                fact,
                format!("{which} field `{key}` removed"),
            );
        }
        for key in &added {
            let fact = if a.props[key].required { Fact::Required } else { Fact::Optional };
            let which = if a.props[key].required { "required" } else { "optional" };
            self.emit(
                &ctx.push(key),
                Kind::FieldAdded,
                fact,
                format!("{which} field `{key}` added"),
            );
        }
        for (old, new) in pairs {
            let (bp, ap) = (b.props[&old].clone(), a.props[&new].clone());
            let inner = ctx.push(&new);
            match (bp.required, ap.required) {
                (true, false) => self.emit(
                    &inner,
                    Kind::MadeOptional,
                    Fact::None,
                    format!("`{new}` required → optional"),
                ),
                (false, true) => self.emit(
                    &inner,
                    Kind::MadeRequired,
                    Fact::None,
                    format!("`{new}` optional → required"),
                ),
                _ => {}
            }
            self.enqueue(&bp.node, &ap.node, inner);
        }
        let any = |ctx: &Ctx, side: &str| {
            Node::owned(Value::Bool(true), format!("{}/{side}/additional", ctx.at()))
        };
        let closed = |additional: &Additional<'_>| matches!(additional, Additional::Closed);
        if ctx.flow == Flow::Output && closed(&b.additional) != closed(&a.additional) {
            // What the server sends never carries keys it does not know: whether other keys
            // would be accepted is not part of the output wire.
            return;
        }
        match (b.additional, a.additional) {
            (Additional::Open, Additional::Closed)
            | (Additional::Schema(_), Additional::Closed) => self.emit(
                ctx,
                Kind::UnknownKeysChanged,
                Fact::Narrowed,
                "other keys were accepted, now rejected".to_owned(),
            ),
            (Additional::Closed, Additional::Open)
            | (Additional::Closed, Additional::Schema(_)) => self.emit(
                ctx,
                Kind::UnknownKeysChanged,
                Fact::Widened,
                "other keys were rejected, now accepted".to_owned(),
            ),
            (Additional::Schema(x), Additional::Schema(y)) => {
                self.enqueue(&x, &y, ctx.suffix("{}"))
            }
            (Additional::Schema(x), Additional::Open) => {
                self.enqueue(&x, &any(ctx, "after"), ctx.suffix("{}"))
            }
            (Additional::Open, Additional::Schema(y)) => {
                self.enqueue(&any(ctx, "before"), &y, ctx.suffix("{}"))
            }
            _ => {}
        }
    }
}

/// `x_y-Z` and `xY` read the same: only casing and separators differ.
pub(super) fn normalized(name: &str) -> String {
    name.chars().filter(|c| *c != '_' && *c != '-').flat_map(char::to_lowercase).collect()
}

/// A schema without its documentation, for "the same schema under another key".
fn bare(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| {
                    !matches!(
                        k.as_str(),
                        "description" | "title" | "examples" | "default" | "deprecated"
                    )
                })
                .map(|(k, v)| (k.clone(), if k == "properties" { bare_props(v) } else { bare(v) }))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(bare).collect()),
        other => other.clone(),
    }
}

fn bare_props(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), bare(v))).collect())
        }
        other => other.clone(),
    }
}
