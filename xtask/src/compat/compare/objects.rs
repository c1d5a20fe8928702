//! Compare two matched objects: fields added, removed, renamed (same key in another casing,
//! or the only removed and only added key with the same schema), required ↔ optional,
//! stable ↔ experimental, then each common field (queued for the walker), and what the
//! object accepts beyond its fields.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Ctx, Walker, normalized};
use crate::compat::rules::{Fact, Kind};
use crate::compat::shape::{Additional, Node, Object, Prop, is_experimental};
use app_server_protocol::Direction;

/// The keys of two objects: only before, only after, and the pairs (old key, new key).
struct Keys {
    removed: Vec<String>,
    added: Vec<String>,
    pairs: Vec<(String, String)>,
}

impl<'a> Walker<'a> {
    /// Compares two objects; `tagged` when they are variants of a union matched by their tag
    /// (the tag properties are then not compared again).
    pub(super) fn diff_object(&mut self, b: Object<'a>, a: Object<'a>, ctx: &Ctx, tagged: bool) {
        if let (true, Some(key)) = (tagged, b.external().filter(|key| a.external() == Some(*key))) {
            let (bp, ap) = (&b.props[key], &a.props[key]);
            return self.enqueue(&bp.node.clone(), &ap.node.clone(), ctx.clone());
        }
        let mut keys = Keys::of(&b, &a, tagged);
        self.renamed(&mut keys, &b, &a, ctx);
        for key in &keys.removed {
            let prop = &b.props[key];
            let (fact, which) = if prop.required {
                (Fact::Required, "required")
            } else {
                (Fact::Optional, "optional")
            };
            // A field experimental in the baseline may disappear.
            let place = ctx.push(key).inside_experimental(is_experimental(&prop.node.schema));
            self.emit(&place, Kind::FieldRemoved, fact, format!("{which} field `{key}` removed"));
        }
        for key in &keys.added {
            let (fact, which) = if a.props[key].required {
                (Fact::Required, "required")
            } else {
                (Fact::Optional, "optional")
            };
            self.emit(
                &ctx.push(key),
                Kind::FieldAdded,
                fact,
                format!("{which} field `{key}` added"),
            );
        }
        for (old, new) in keys.pairs {
            self.common_field(&b.props[&old], &a.props[&new], &ctx.push(&new), &new);
        }
        self.other_keys(b.additional, a.additional, ctx);
    }

    /// Same key in another casing, or the only removed and only added key with the same
    /// schema: a renamed field, compared as a pair.
    fn renamed(&mut self, keys: &mut Keys, b: &Object<'a>, a: &Object<'a>, ctx: &Ctx) {
        let Keys { removed, added, pairs } = keys;
        removed.retain(|old| {
            let Some(at) = added.iter().position(|new| normalized(new) == normalized(old)) else {
                return true;
            };
            let new = added.remove(at);
            self.emit(
                &ctx.push(&new),
                Kind::KeyCasingChanged,
                Fact::None,
                format!("key `{old}` → `{new}`"),
            );
            pairs.push((old.clone(), new));
            false
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
    }

    /// A field both objects have: required ↔ optional, its stability, then its schema.
    fn common_field(&mut self, bp: &Prop<'a>, ap: &Prop<'a>, inner: &Ctx, key: &str) {
        match (bp.required, ap.required) {
            (true, false) => self.emit(
                inner,
                Kind::MadeOptional,
                Fact::None,
                format!("`{key}` required → optional"),
            ),
            (false, true) => self.emit(
                inner,
                Kind::MadeRequired,
                Fact::None,
                format!("`{key}` optional → required"),
            ),
            _ => {}
        }
        let (was, now) = (is_experimental(&bp.node.schema), is_experimental(&ap.node.schema));
        self.stability(inner, was, now, &format!("field `{key}`"));
        self.enqueue(&bp.node, &ap.node, inner.inside_experimental(was));
    }

    /// What the objects accept beyond their named fields.
    fn other_keys(&mut self, b: Additional<'a>, a: Additional<'a>, ctx: &Ctx) {
        let any =
            |side: &str| Node::owned(Value::Bool(true), format!("{}/{side}/additional", ctx.at()));
        let closed = |additional: &Additional<'_>| matches!(additional, Additional::Closed);
        if ctx.direction == Direction::ServerToClient && closed(&b) != closed(&a) {
            // What the server sends never carries keys it does not know: whether other keys
            // would be accepted is not part of the wire it sends.
            return;
        }
        match (b, a) {
            (Additional::Open | Additional::Schema(_), Additional::Closed) => self.emit(
                ctx,
                Kind::UnknownKeysChanged,
                Fact::Narrowed,
                "other keys were accepted, now rejected".to_owned(),
            ),
            (Additional::Closed, Additional::Open | Additional::Schema(_)) => self.emit(
                ctx,
                Kind::UnknownKeysChanged,
                Fact::Widened,
                "other keys were rejected, now accepted".to_owned(),
            ),
            (Additional::Schema(x), Additional::Schema(y)) => {
                self.enqueue(&x, &y, ctx.suffix("{}"))
            }
            (Additional::Schema(x), Additional::Open) => {
                self.enqueue(&x, &any("after"), ctx.suffix("{}"))
            }
            (Additional::Open, Additional::Schema(y)) => {
                self.enqueue(&any("before"), &y, ctx.suffix("{}"))
            }
            _ => {}
        }
    }
}

impl Keys {
    /// Splits the keys of two objects (the tag keys of matched variants left out).
    fn of(b: &Object<'_>, a: &Object<'_>, tagged: bool) -> Keys {
        let skip: BTreeSet<String> = if tagged {
            b.tag().into_iter().chain(a.tag()).map(|(key, _)| key).collect()
        } else {
            BTreeSet::new()
        };
        let only = |x: &Object<'_>, y: &Object<'_>| -> Vec<String> {
            x.props
                .keys()
                .filter(|k| !y.props.contains_key(*k) && !skip.contains(*k))
                .cloned()
                .collect()
        };
        let pairs = b
            .props
            .keys()
            .filter(|k| a.props.contains_key(*k) && !skip.contains(*k))
            .map(|k| (k.clone(), k.clone()))
            .collect();
        Keys { removed: only(b, a), added: only(a, b), pairs }
    }
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
