//! Compare two schemas of one payload, walking from the payload through every `$ref` it
//! reaches, both sides in step, breadth first. Each position pair is compared once per flow
//! (cycle-safe; a type reached from many methods is reported once, at the shortest path of
//! the first method that reaches it).
//!
//! A change is located two ways: `path` is the first path that reaches it from a method
//! (`thread/start → params → sandbox → variant workspaceWrite → writableRoots`), `at` the
//! same place relative to the nearest named type (`v2.SandboxPolicy → variant workspaceWrite →
//! writableRoots`), which does not depend on which method got there first — `compat/allow.toml`
//! matches on it.

use std::collections::{BTreeSet, HashSet, VecDeque};

use serde_json::{Map, Value};

use super::Change;
use super::objects::normalized;
use super::rules::{Fact, Flow, Kind, judge};
use super::shape::{Alt, AltKind, Alts, CATCH_ALL, Node, Side, expand};

/// The key of a catch-all variant.
const CATCH_ALL_KEY: &str = "variant:*";

/// Where the walk is.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub(super) flow: Flow,
    path: Vec<String>,
    anchor: String,
    rel: Vec<String>,
}

impl Ctx {
    /// The start of a payload: `method → params`.
    pub fn root(flow: Flow, method: &str, role: &str) -> Ctx {
        Ctx {
            flow,
            path: vec![method.to_owned(), role.to_owned()],
            anchor: format!("{method} {role}"),
            rel: Vec::new(),
        }
    }

    pub(super) fn push(&self, segment: &str) -> Ctx {
        let mut next = self.clone();
        next.path.push(segment.to_owned());
        next.rel.push(segment.to_owned());
        next
    }

    /// Into the items of an array (`turns[]`) or the values of a map (`tools{}`).
    pub(super) fn suffix(&self, suffix: &str) -> Ctx {
        let mut next = self.clone();
        for segments in [&mut next.path, &mut next.rel] {
            match segments.last_mut() {
                Some(last) => last.push_str(suffix),
                None => segments.push(suffix.to_owned()),
            }
        }
        next
    }

    /// Into a named type: what is found inside is located relative to it.
    pub(super) fn anchored(&self, def: Option<&str>) -> Ctx {
        match def {
            Some(def) if def != self.anchor || !self.rel.is_empty() => {
                Ctx { anchor: def.to_owned(), rel: Vec::new(), ..self.clone() }
            }
            _ => self.clone(),
        }
    }

    /// Into a union variant: a path segment, and the variant's own type if it has one.
    pub(super) fn variant(&self, label: &str, def: Option<&str>) -> Ctx {
        let mut next = self.clone();
        next.path.push(label.to_owned());
        match def {
            Some(def) if def != self.anchor => {
                next.anchor = def.to_owned();
                next.rel.clear();
            }
            _ => next.rel.push(label.to_owned()),
        }
        next
    }

    pub(super) fn at(&self) -> String {
        std::iter::once(self.anchor.as_str())
            .chain(self.rel.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" → ")
    }
}

/// Compares the schemas of a before and an after surface.
pub struct Walker<'a> {
    before: [Side<'a>; 2],
    after: [Side<'a>; 2],
    seen: HashSet<(String, String, Flow)>,
    queue: VecDeque<(Node<'a>, Node<'a>, Ctx)>,
    reported: HashSet<(Kind, Flow, String, String)>,
    pub changes: Vec<Change>,
}

fn index(flow: Flow) -> usize {
    match flow {
        Flow::Input => 0,
        Flow::Output => 1,
    }
}

/// A short TypeScript-like reading of some alternatives (no backticks: it is shown inside a
/// code span), e.g. `"accept" | { acceptWithExecpolicyAmendment } | v2.TurnError`.
fn describe(alts: &[&Alt<'_>]) -> String {
    let labels: Vec<String> = alts
        .iter()
        .map(|alt| match &alt.kind {
            AltKind::Value(value) => value.to_string(),
            AltKind::Object(object) => match (object.tag(), object.external(), &alt.def) {
                (Some((key, value)), _, _) if value == CATCH_ALL => format!("{{ {key}: other }}"),
                (Some((key, value)), _, _) => format!("{{ {key}: \"{value}\" }}"),
                (None, Some(key), _) => format!("{{ {key} }}"),
                (None, None, Some(def)) => def.clone(),
                (None, None, None) => "object".to_owned(),
            },
            AltKind::Array(_) => alt.def.clone().map_or("array".to_owned(), |def| def),
            _ => alt.key(),
        })
        .collect();
    match labels.len() {
        0 => "nothing".to_owned(),
        1..=5 => labels.join(" | "),
        n => format!("{} | … ({n} alternatives)", labels[..4].join(" | ")),
    }
}

/// The coarse JSON type of an alternative, to tell a changed type from a changed value set.
fn class(alt: &Alt<'_>) -> &'static str {
    match &alt.kind {
        AltKind::Value(Value::String(_)) | AltKind::String { .. } => "string",
        AltKind::Value(Value::Bool(_)) | AltKind::Boolean => "boolean",
        AltKind::Value(_) | AltKind::Integer(_) | AltKind::Number => "number",
        AltKind::Object(_) => "object",
        AltKind::Array(_) => "array",
        AltKind::Null => "null",
        AltKind::Any => "any",
    }
}

fn is_value_or_variant(alt: &Alt<'_>) -> bool {
    matches!(alt.kind, AltKind::Value(_)) || alt.key().starts_with("variant:")
}

impl<'a> Walker<'a> {
    /// `before` and `after` are the `$defs` of each flow: `[input, output]`.
    pub fn new(before: [&'a Map<String, Value>; 2], after: [&'a Map<String, Value>; 2]) -> Self {
        Walker {
            before: before.map(|defs| Side { defs }),
            after: after.map(|defs| Side { defs }),
            seen: HashSet::new(),
            queue: VecDeque::new(),
            reported: HashSet::new(),
            changes: Vec::new(),
        }
    }

    pub(super) fn emit(&mut self, ctx: &Ctx, kind: Kind, fact: Fact, detail: String) {
        let at = ctx.at();
        if !self.reported.insert((kind, ctx.flow, at.clone(), detail.clone())) {
            return;
        }
        let verdict = judge(kind, Some(ctx.flow), fact);
        self.changes.push(Change {
            kind,
            flow: Some(ctx.flow),
            verdict,
            at,
            path: ctx.path.join(" → "),
            detail,
            reason: None,
        });
    }

    /// Compares two payload schemas, breadth first: a change is reported at the shortest path
    /// that reaches it.
    pub fn compare(&mut self, before: Node<'a>, after: Node<'a>, ctx: Ctx) {
        self.queue.push_back((before, after, ctx));
        while let Some((before, after, ctx)) = self.queue.pop_front() {
            self.diff(&before, &after, &ctx);
        }
    }

    pub(super) fn enqueue(&mut self, before: &Node<'a>, after: &Node<'a>, ctx: Ctx) {
        self.queue.push_back((before.clone(), after.clone(), ctx));
    }

    /// Compares two schemas at the same place.
    fn diff(&mut self, before: &Node<'a>, after: &Node<'a>, ctx: &Ctx) {
        if !self.seen.insert((before.id.clone(), after.id.clone(), ctx.flow)) {
            return;
        }
        let b = expand(before, self.before[index(ctx.flow)]);
        let a = expand(after, self.after[index(ctx.flow)]);
        // Nullability and the type itself belong to the place; values and variants to the
        // named type that lists them.
        let typed = ctx.anchored(a.def.as_deref().or(b.def.as_deref()));
        for (side, unresolved) in [("baseline", &b.unresolved), ("current", &a.unresolved)] {
            for reference in unresolved {
                self.emit(
                    ctx,
                    Kind::UnresolvedRef,
                    Fact::None,
                    format!("{side}: {reference} names no definition"),
                );
            }
        }
        self.diff_alts(b, a, ctx, &typed);
    }

    fn diff_alts(&mut self, b: Alts<'a>, a: Alts<'a>, here: &Ctx, ctx: &Ctx) {
        let open = b.open;
        let (b_null, b) = without_null(b.alts);
        let (a_null, a) = without_null(a.alts);
        let (mut b, mut a) = (keyed(b), keyed(a));
        let (b_desc, a_desc) = (
            describe(&b.iter().map(|(_, x)| x).collect::<Vec<_>>()),
            describe(&a.iter().map(|(_, x)| x).collect::<Vec<_>>()),
        );
        match (b_null, a_null) {
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
        let (b_any, a_any) = (b.iter().any(|(k, _)| k == "any"), a.iter().any(|(k, _)| k == "any"));
        match (b_any, a_any) {
            (true, true) => return,
            (true, false) => {
                return self.emit(
                    here,
                    Kind::TypeNarrowed,
                    Fact::None,
                    format!("any JSON → `{a_desc}`"),
                );
            }
            (false, true) => {
                return self.emit(
                    here,
                    Kind::TypeWidened,
                    Fact::None,
                    format!("`{b_desc}` → any JSON"),
                );
            }
            _ => {}
        }
        let tag_keys = |alts: &[(String, Alt<'_>)]| -> BTreeSet<String> {
            alts.iter()
                .filter_map(|(_, alt)| match &alt.kind {
                    AltKind::Object(object) if !alt.lone => object.tag().map(|(key, _)| key),
                    _ => None,
                })
                .collect()
        };
        let (b_tags, a_tags) = (tag_keys(&b), tag_keys(&a));
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
            a = self.distribute(a, b_tags.first().expect("one tag"), ctx.flow, false);
        } else if a_tags.len() == 1 && b_tags.is_empty() {
            b = self.distribute(b, a_tags.first().expect("one tag"), ctx.flow, true);
        }
        // Match alternatives by key; what is left over was added or removed.
        let mut pairs = Vec::new();
        let mut b_left = Vec::new();
        for (key, alt) in b {
            match a.iter().position(|(k, _)| *k == key) {
                Some(at) => pairs.push((alt, a.remove(at).1)),
                None => b_left.push(alt),
            }
        }
        let mut a_left: Vec<Alt<'a>> = a.into_iter().map(|(_, alt)| alt).collect();
        self.subsumed(&mut b_left, &mut a_left, here);
        // Same value or variant in another casing.
        let mut index = 0;
        while index < b_left.len() {
            let name = normalized(b_left[index].key().trim_start_matches('='));
            let category =
                |alt: &Alt<'_>| (is_value_or_variant(alt), alt.key().starts_with("variant:"));
            let found = a_left.iter().position(|alt| {
                category(alt) == category(&b_left[index])
                    && category(alt).0
                    && normalized(alt.key().trim_start_matches('=')) == name
            });
            match found {
                Some(at) => {
                    let (old, new) = (b_left.remove(index), a_left.remove(at));
                    self.emit(
                        ctx,
                        Kind::ValueCasingChanged,
                        Fact::None,
                        format!("{} → {}", old.label(), new.label()),
                    );
                    pairs.push((old, new));
                }
                None => index += 1,
            }
        }
        cover(&mut b_left, &mut a_left, &mut pairs, true);
        cover(&mut a_left, &mut b_left, &mut pairs, false);
        let b_classes: BTreeSet<&str> = b_left.iter().map(class).collect();
        let a_classes: BTreeSet<&str> = a_left.iter().map(class).collect();
        if pairs.is_empty()
            && !b_left.is_empty()
            && !a_left.is_empty()
            && b_classes.is_disjoint(&a_classes)
        {
            return self.emit(
                here,
                Kind::TypeChanged,
                Fact::None,
                format!("`{b_desc}` → `{a_desc}`"),
            );
        }
        for alt in &b_left {
            let kind = match (&alt.kind, is_value_or_variant(alt)) {
                (AltKind::Value(_), _) => Kind::ValueRemoved,
                (_, true) => Kind::VariantRemoved,
                _ => Kind::TypeNarrowed,
            };
            self.emit(ctx, kind, Fact::None, format!("{} removed (was `{b_desc}`)", alt.label()));
        }
        for alt in &a_left {
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
        let several = pairs.len() > 1;
        for (old, new) in pairs {
            let shown = if new.key() == CATCH_ALL_KEY { &old } else { &new };
            let inner = if several && shown.key().starts_with("variant:") {
                ctx.variant(&variant_segment(shown), new.def.as_deref().or(old.def.as_deref()))
            } else {
                ctx.anchored(new.def.as_deref().or(old.def.as_deref()))
            };
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
            let tagged = shown.key().starts_with("variant:");
            self.diff_alt(old, new, &inner, tagged);
        }
    }

    /// A plain string that replaces string values (or the reverse), and integer ↔ number:
    /// one set contains the other, so this widens or narrows rather than changing the type.
    fn subsumed(&mut self, b_left: &mut Vec<Alt<'a>>, a_left: &mut Vec<Alt<'a>>, ctx: &Ctx) {
        let is = |alt: &Alt<'_>, key: &str| alt.key() == key;
        let strings = |alts: &[Alt<'_>]| {
            alts.iter()
                .filter(|a| matches!(&a.kind, AltKind::Value(Value::String(_))))
                .map(|a| a.label())
                .collect::<Vec<_>>()
        };
        for widened in [true, false] {
            let (from, to) =
                if widened { (&mut *b_left, &mut *a_left) } else { (&mut *a_left, &mut *b_left) };
            if let Some(at) = to.iter().position(|a| is(a, "string")) {
                let values = strings(from);
                if !values.is_empty() {
                    to.remove(at);
                    from.retain(|a| !matches!(&a.kind, AltKind::Value(Value::String(_))));
                    let (kind, detail) = if widened {
                        (Kind::TypeWidened, format!("{} → any string", values.join(", ")))
                    } else {
                        (Kind::TypeNarrowed, format!("any string → {}", values.join(", ")))
                    };
                    self.emit(ctx, kind, Fact::None, detail);
                }
            }
        }
        let (b_int, a_num) = (
            b_left.iter().position(|a| is(a, "integer")),
            a_left.iter().position(|a| is(a, "number")),
        );
        if let (Some(i), Some(n)) = (b_int, a_num) {
            b_left.remove(i);
            a_left.remove(n);
            self.emit(ctx, Kind::TypeWidened, Fact::None, "integer → number".to_owned());
        }
        let (b_num, a_int) = (
            b_left.iter().position(|a| is(a, "number")),
            a_left.iter().position(|a| is(a, "integer")),
        );
        if let (Some(n), Some(i)) = (b_num, a_int) {
            b_left.remove(n);
            a_left.remove(i);
            self.emit(ctx, Kind::TypeNarrowed, Fact::None, "number → integer".to_owned());
        }
    }

    /// The other side is a union tagged by `key`; this side has one object whose `key` is an
    /// enum (a flattened tagged enum became a plain field, or the reverse): view the object as
    /// one variant per value, so that variants compare with variants.
    fn distribute(
        &mut self,
        alts: Vec<(String, Alt<'a>)>,
        key: &str,
        flow: Flow,
        before: bool,
    ) -> Vec<(String, Alt<'a>)> {
        let objects = alts.iter().filter(|(k, _)| k == "object").count();
        let side = if before { self.before[index(flow)] } else { self.after[index(flow)] };
        if objects != 1 {
            return alts;
        }
        let mut out = Vec::new();
        for (k, alt) in alts {
            let AltKind::Object(object) = &alt.kind else {
                out.push((k, alt));
                continue;
            };
            let Some(prop) = object.props.get(key).filter(|p| p.required) else {
                out.push((k, alt));
                continue;
            };
            let values = expand(&prop.node, side);
            let strings: Vec<String> = values
                .alts
                .iter()
                .filter_map(|v| match &v.kind {
                    AltKind::Value(Value::String(s)) => Some(s.clone()),
                    _ => None,
                })
                .collect();
            if strings.is_empty() || strings.len() != values.alts.len() {
                out.push((k, alt));
                continue;
            }
            for value in strings {
                let mut variant = object.clone();
                let node = Node::owned(
                    serde_json::json!({ "const": value }),
                    format!("{}={value}", prop.node.id),
                );
                variant.props.insert(key.to_owned(), super::shape::Prop { node, required: true });
                let alt = Alt {
                    kind: AltKind::Object(variant),
                    def: alt.def.clone(),
                    extra: alt.extra.clone(),
                    lone: false,
                };
                out.push((alt.key(), alt));
            }
        }
        out
    }
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
