//! The alternatives of two schemas at one place, matched step by step: nullability, "any
//! JSON", the tag key of a union, then alternatives matched by key (enum value, variant tag,
//! JSON type), by containment (`"a" | "b"` → `string`, `integer` → `number`), by casing
//! (`in_progress` → `inProgress`) and by a catch-all variant. What stays unmatched was added
//! or removed — or, when nothing matched and the JSON types differ, the type changed. Each
//! matched pair is compared further ([`super::objects`], [`super::leaves`]).

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Ctx, Walker, describe, normalized};
use crate::compat::rules::{Fact, Kind};
use crate::compat::shape::{Alt, AltKind, Alts, CATCH_ALL, Node, Prop, expand};

/// The key of a catch-all variant.
const CATCH_ALL_KEY: &str = "variant:*";

/// One side's alternatives at a place: `null` split off, the rest with their matching keys,
/// and how they read in a report.
struct Keyed<'a> {
    null: bool,
    alts: Vec<(String, Alt<'a>)>,
    desc: String,
}

impl<'a> Keyed<'a> {
    fn of(alts: Vec<Alt<'a>>) -> Keyed<'a> {
        let (null, rest) = without_null(alts);
        let alts = keyed(rest);
        let desc = describe(&alts.iter().map(|(_, alt)| alt).collect::<Vec<_>>());
        Keyed { null, alts, desc }
    }

    fn has(&self, key: &str) -> bool {
        self.alts.iter().any(|(k, _)| k == key)
    }

    /// The tag keys of the union's variants (objects tagged by a constant property).
    fn tag_keys(&self) -> BTreeSet<String> {
        self.alts
            .iter()
            .filter_map(|(_, alt)| match &alt.kind {
                AltKind::Object(object) if !alt.lone => object.tag().map(|(key, _)| key),
                _ => None,
            })
            .collect()
    }
}

/// What matching left: pairs to compare further, and what only one side has.
struct Matched<'a> {
    pairs: Vec<(Alt<'a>, Alt<'a>)>,
    removed: Vec<Alt<'a>>,
    added: Vec<Alt<'a>>,
}

impl<'a> Walker<'a> {
    /// Compares the alternatives at one place: `here` locates what belongs to the place
    /// (nullability, the type), `ctx` what belongs to the named type that lists the values
    /// and variants.
    pub(super) fn diff_alts(&mut self, b: Alts<'a>, a: Alts<'a>, here: &Ctx, ctx: &Ctx) {
        let open = b.open;
        let (mut b, mut a) = (Keyed::of(b.alts), Keyed::of(a.alts));
        self.nullability(&b, &a, here);
        if self.any_json(&b, &a, here) {
            return;
        }
        self.tags(&mut b, &mut a, ctx);
        let (b_desc, a_desc) = (b.desc.clone(), a.desc.clone());
        let matched = self.match_alts(b.alts, a.alts, here, ctx);
        if self.type_changed(&matched, &b_desc, &a_desc, here) {
            return;
        }
        for alt in &matched.removed {
            let kind = match (&alt.kind, is_value_or_variant(alt)) {
                (AltKind::Value(_), _) => Kind::ValueRemoved,
                (_, true) => Kind::VariantRemoved,
                _ => Kind::TypeNarrowed,
            };
            // Something experimental in the baseline may disappear.
            let place = ctx.inside_experimental(alt.experimental);
            self.emit(
                &place,
                kind,
                Fact::None,
                format!("{} removed (was `{b_desc}`)", alt.label()),
            );
        }
        for alt in &matched.added {
            let fact = if open { Fact::Open } else { Fact::None };
            let kind = match (&alt.kind, is_value_or_variant(alt)) {
                (AltKind::Value(_), _) => Kind::ValueAdded,
                (_, true) => Kind::VariantAdded,
                _ => Kind::TypeWidened,
            };
            let note = if open && is_value_or_variant(alt) {
                "; the baseline declares the type open"
            } else {
                ""
            };
            self.emit(ctx, kind, fact, format!("{} added (now `{a_desc}`){note}", alt.label()));
        }
        self.diff_pairs(matched.pairs, ctx);
    }

    /// `T` → `T | null` and back.
    fn nullability(&mut self, b: &Keyed<'a>, a: &Keyed<'a>, here: &Ctx) {
        let (b_desc, a_desc) = (&b.desc, &a.desc);
        match (b.null, a.null) {
            (false, true) => self.emit(
                here,
                Kind::MadeNullable,
                Fact::None,
                format!("`{b_desc}` → `{a_desc} | null`"),
            ),
            (true, false) => self.emit(
                here,
                Kind::MadeNonNullable,
                Fact::None,
                format!("`{b_desc} | null` → `{a_desc}`"),
            ),
            _ => {}
        }
    }

    /// A side that accepts any JSON: nothing more to compare. Returns whether one did.
    fn any_json(&mut self, b: &Keyed<'a>, a: &Keyed<'a>, here: &Ctx) -> bool {
        match (b.has("any"), a.has("any")) {
            (true, true) => {}
            (true, false) => {
                self.emit(here, Kind::TypeNarrowed, Fact::None, format!("any JSON → `{}`", a.desc))
            }
            (false, true) => {
                self.emit(here, Kind::TypeWidened, Fact::None, format!("`{}` → any JSON", b.desc))
            }
            (false, false) => return false,
        }
        true
    }

    /// A union tagged by another key; a union on one side and one object whose tag is an
    /// enum field on the other (viewed as one variant per value, see [`Walker::distribute`]).
    fn tags(&mut self, b: &mut Keyed<'a>, a: &mut Keyed<'a>, ctx: &Ctx) {
        let (b_tags, a_tags) = (b.tag_keys(), a.tag_keys());
        if !b_tags.is_empty() && !a_tags.is_empty() && b_tags != a_tags {
            let list = |set: &BTreeSet<String>| {
                set.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            };
            self.emit(
                ctx,
                Kind::TagKeyChanged,
                Fact::None,
                format!("tagged by {} → by {}", list(&b_tags), list(&a_tags)),
            );
        }
        if b_tags.len() == 1 && a_tags.is_empty() {
            let alts = std::mem::take(&mut a.alts);
            a.alts = self.distribute(alts, b_tags.first().expect("one tag"), ctx, false);
        } else if a_tags.len() == 1 && b_tags.is_empty() {
            let alts = std::mem::take(&mut b.alts);
            b.alts = self.distribute(alts, a_tags.first().expect("one tag"), ctx, true);
        }
    }

    /// Matches alternatives by key, then by containment, casing and catch-all variants.
    fn match_alts(
        &mut self,
        b: Vec<(String, Alt<'a>)>,
        mut a: Vec<(String, Alt<'a>)>,
        here: &Ctx,
        ctx: &Ctx,
    ) -> Matched<'a> {
        let mut pairs = Vec::new();
        let mut removed = Vec::new();
        for (key, alt) in b {
            match a.iter().position(|(k, _)| *k == key) {
                Some(at) => pairs.push((alt, a.remove(at).1)),
                None => removed.push(alt),
            }
        }
        let mut added: Vec<Alt<'a>> = a.into_iter().map(|(_, alt)| alt).collect();
        self.subsumed(&mut removed, &mut added, here);
        self.recased(&mut removed, &mut added, &mut pairs, ctx);
        cover(&mut removed, &mut added, &mut pairs, true);
        cover(&mut added, &mut removed, &mut pairs, false);
        Matched { pairs, removed, added }
    }

    /// The same value or variant in another casing: a change of its own, then compared as a
    /// pair.
    fn recased(
        &mut self,
        removed: &mut Vec<Alt<'a>>,
        added: &mut Vec<Alt<'a>>,
        pairs: &mut Vec<(Alt<'a>, Alt<'a>)>,
        ctx: &Ctx,
    ) {
        let category =
            |alt: &Alt<'_>| (is_value_or_variant(alt), alt.key().starts_with("variant:"));
        let name = |alt: &Alt<'_>| normalized(alt.key().trim_start_matches('='));
        let mut index = 0;
        while index < removed.len() {
            let old = &removed[index];
            let found = added.iter().position(|alt| {
                category(alt) == category(old) && category(alt).0 && name(alt) == name(old)
            });
            let Some(at) = found else {
                index += 1;
                continue;
            };
            let (old, new) = (removed.remove(index), added.remove(at));
            self.emit(
                ctx,
                Kind::ValueCasingChanged,
                Fact::None,
                format!("{} → {}", old.label(), new.label()),
            );
            pairs.push((old, new));
        }
    }

    /// Nothing matched and the JSON types are disjoint: the type changed. Returns whether.
    fn type_changed(&mut self, m: &Matched<'a>, b_desc: &str, a_desc: &str, here: &Ctx) -> bool {
        let b_classes: BTreeSet<&str> = m.removed.iter().map(class).collect();
        let a_classes: BTreeSet<&str> = m.added.iter().map(class).collect();
        let changed = m.pairs.is_empty()
            && !m.removed.is_empty()
            && !m.added.is_empty()
            && b_classes.is_disjoint(&a_classes);
        if changed {
            self.emit(here, Kind::TypeChanged, Fact::None, format!("`{b_desc}` → `{a_desc}`"));
        }
        changed
    }

    /// Compares each matched pair: its stability, the keywords the check does not model,
    /// then its content.
    fn diff_pairs(&mut self, pairs: Vec<(Alt<'a>, Alt<'a>)>, ctx: &Ctx) {
        let several = pairs.len() > 1;
        for (old, new) in pairs {
            let shown = if new.key() == CATCH_ALL_KEY { &old } else { &new };
            let def = new.def.as_deref().or(old.def.as_deref());
            let variant = shown.key().starts_with("variant:");
            let inner = if several && variant {
                ctx.variant(&variant_segment(shown), def)
            } else {
                ctx.anchored(def)
            };
            if !new.lone {
                self.stability(&inner, old.experimental, new.experimental, &shown.label());
            }
            let inner = inner.inside_experimental(old.experimental);
            if old.extra != new.extra {
                let keys: BTreeSet<&String> = old
                    .extra
                    .keys()
                    .chain(new.extra.keys())
                    .filter(|k| old.extra.get(*k) != new.extra.get(*k))
                    .collect();
                let keys: Vec<String> = keys.into_iter().map(|k| format!("`{k}`")).collect();
                self.emit(
                    &inner,
                    Kind::KeywordChanged,
                    Fact::None,
                    format!("schema keyword(s) {} differ", keys.join(", ")),
                );
            }
            self.diff_alt(old, new, &inner, variant);
        }
    }

    /// A plain string that replaces string values (or the reverse), and integer ↔ number:
    /// one set contains the other, so this widens or narrows rather than changing the type.
    fn subsumed(&mut self, removed: &mut Vec<Alt<'a>>, added: &mut Vec<Alt<'a>>, ctx: &Ctx) {
        let is = |alt: &Alt<'_>, key: &str| alt.key() == key;
        let strings = |alts: &[Alt<'_>]| {
            alts.iter()
                .filter(|a| matches!(&a.kind, AltKind::Value(Value::String(_))))
                .map(|a| a.label())
                .collect::<Vec<_>>()
        };
        for widened in [true, false] {
            let (from, to) =
                if widened { (&mut *removed, &mut *added) } else { (&mut *added, &mut *removed) };
            let Some(at) = to.iter().position(|a| is(a, "string")) else { continue };
            let values = strings(from);
            if values.is_empty() {
                continue;
            }
            to.remove(at);
            from.retain(|a| !matches!(&a.kind, AltKind::Value(Value::String(_))));
            let (kind, detail) = if widened {
                (Kind::TypeWidened, format!("{} → any string", values.join(", ")))
            } else {
                (Kind::TypeNarrowed, format!("any string → {}", values.join(", ")))
            };
            self.emit(ctx, kind, Fact::None, detail);
        }
        for (from, to, kind) in
            [("integer", "number", Kind::TypeWidened), ("number", "integer", Kind::TypeNarrowed)]
        {
            let old = removed.iter().position(|a| is(a, from));
            let new = added.iter().position(|a| is(a, to));
            if let (Some(old), Some(new)) = (old, new) {
                removed.remove(old);
                added.remove(new);
                self.emit(ctx, kind, Fact::None, format!("{from} → {to}"));
            }
        }
    }

    /// The other side is a union tagged by `key`; this side has one object whose `key` is an
    /// enum (a flattened tagged enum became a plain field, or the reverse): view the object as
    /// one variant per value, so that variants compare with variants.
    fn distribute(
        &mut self,
        alts: Vec<(String, Alt<'a>)>,
        key: &str,
        ctx: &Ctx,
        before: bool,
    ) -> Vec<(String, Alt<'a>)> {
        if alts.iter().filter(|(k, _)| k == "object").count() != 1 {
            return alts;
        }
        let side = if before { self.before } else { self.after }[super::index(ctx.direction)];
        let mut out = Vec::new();
        for (k, alt) in alts {
            let values = match &alt.kind {
                AltKind::Object(object) => {
                    object.props.get(key).filter(|p| p.required).map(|prop| {
                        (prop.node.id.clone(), string_values(&expand(&prop.node, side)))
                    })
                }
                _ => None,
            };
            let (AltKind::Object(object), Some((id, Some(strings)))) = (&alt.kind, values) else {
                out.push((k, alt));
                continue;
            };
            for value in strings {
                let mut variant = object.clone();
                let node =
                    Node::owned(serde_json::json!({ "const": value }), format!("{id}={value}"));
                variant.props.insert(key.to_owned(), Prop { node, required: true });
                let alt = Alt { kind: AltKind::Object(variant), lone: false, ..alt.clone() };
                out.push((alt.key(), alt));
            }
        }
        out
    }
}

/// The string values of an enum, if it is nothing but string values.
fn string_values(values: &Alts<'_>) -> Option<Vec<String>> {
    let strings: Vec<String> = values
        .alts
        .iter()
        .filter_map(|v| match &v.kind {
            AltKind::Value(Value::String(s)) => Some(s.clone()),
            _ => None,
        })
        .collect();
    (!strings.is_empty() && strings.len() == values.alts.len()).then_some(strings)
}

/// The coarse JSON type of an alternative, to tell a changed type from a changed value set.
fn class(alt: &Alt<'_>) -> &'static str {
    match &alt.kind {
        AltKind::Value(Value::String(_)) | AltKind::String { .. } => "string",
        AltKind::Value(Value::Bool(_)) | AltKind::Boolean => "boolean",
        AltKind::Value(_) | AltKind::Integer(_) | AltKind::Number(_) => "number",
        AltKind::Object(_) => "object",
        AltKind::Array { .. } => "array",
        AltKind::Null => "null",
        AltKind::Any => "any",
    }
}

fn is_value_or_variant(alt: &Alt<'_>) -> bool {
    matches!(alt.kind, AltKind::Value(_)) || alt.key().starts_with("variant:")
}

/// Alternatives with their keys. The same value or type twice is one alternative; two
/// untagged objects are told apart as `object`, `object#2` …
fn keyed(alts: Vec<Alt<'_>>) -> Vec<(String, Alt<'_>)> {
    let mut out: Vec<(String, Alt<'_>)> = Vec::new();
    for alt in alts {
        let key = alt.key();
        if key != "object" && out.iter().any(|(k, _)| *k == key) {
            continue;
        }
        let mut unique = key.clone();
        let mut n = 1;
        while out.iter().any(|(k, _)| *k == unique) {
            n += 1;
            unique = format!("{key}#{n}");
        }
        out.push((unique, alt));
    }
    out
}

/// Splits `null` off: whether it was there, and the other alternatives (an only object among
/// them marked lone).
fn without_null(alts: Vec<Alt<'_>>) -> (bool, Vec<Alt<'_>>) {
    let null = alts.iter().any(|alt| matches!(alt.kind, AltKind::Null));
    let mut rest: Vec<Alt<'_>> =
        alts.into_iter().filter(|alt| !matches!(alt.kind, AltKind::Null)).collect();
    if let [only] = rest.as_mut_slice() {
        only.lone = true;
    }
    (null, rest)
}

/// A catch-all variant (an open union's "any other tag") on one side covers the variants of
/// the other side whose tag it does not exclude: they are compared with it, not reported as
/// added or removed.
fn cover<'a>(
    variants: &mut Vec<Alt<'a>>,
    catch_side: &mut Vec<Alt<'a>>,
    pairs: &mut Vec<(Alt<'a>, Alt<'a>)>,
    catch_is_after: bool,
) {
    let Some(at) = catch_side.iter().position(|alt| alt.key() == CATCH_ALL_KEY) else { return };
    let excluded = match &catch_side[at].kind {
        AltKind::Object(object) => object.catch_all_excludes(),
        _ => Vec::new(),
    };
    let mut covered = Vec::new();
    variants.retain(|alt| {
        let key = alt.key();
        let name = key
            .strip_prefix("variant:")
            .filter(|n| *n != CATCH_ALL && !excluded.iter().any(|e| e == n));
        let take = name.is_some() && matches!(alt.kind, AltKind::Object(_));
        if take {
            covered.push(alt.clone());
        }
        !take
    });
    if covered.is_empty() {
        return;
    }
    let catch_all = catch_side.remove(at);
    for alt in covered {
        pairs.push(if catch_is_after {
            (alt, catch_all.clone())
        } else {
            (catch_all.clone(), alt)
        });
    }
}

/// `variant name`: the path segment of a union variant.
fn variant_segment(alt: &Alt<'_>) -> String {
    format!("variant {}", alt.key().trim_start_matches("variant:"))
}
