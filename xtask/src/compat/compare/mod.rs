//! Compare two schemas of one payload, walking from the payload through every `$ref` it
//! reaches, both sides in step, breadth first: the first path that reaches a place is a
//! shortest one. Within one walk each position pair is compared once per direction
//! (cycle-safe). [`super::methods`] walks the payloads of every method separately and merges
//! what the walks find, so that a change inside a named type is one change listing every
//! method path that reaches it.
//!
//! A finding is located two ways: `path` is the path from the walked method
//! (`thread/start → params → sandbox → variant workspaceWrite → writableRoots`), `at` the
//! same place relative to the nearest named type (`v2.SandboxPolicy → variant workspaceWrite →
//! writableRoots`), which does not depend on the method — findings merge and
//! `compat/allow.toml` matches on it.
//!
//! The steps, one module each: [`alts`] matches the alternatives of two schemas at a place
//! (nullability, the type, values and variants) and pairs them; [`objects`] compares two
//! paired objects field by field; [`leaves`] compares paired arrays, numbers and strings
//! (items, ranges, lengths, formats, patterns).

mod alts;
mod leaves;
mod objects;

use std::collections::{HashSet, VecDeque};

use app_server_protocol::Direction;

use super::baseline::Baseline;
use super::rules::{Fact, Kind};
use super::shape::{Alt, AltKind, Alts, Node, Side, expand, is_experimental};

/// What a walk found: one change at one place, as reached from one payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// What changed.
    pub kind: Kind,
    /// The direction of the data at that place.
    pub direction: Direction,
    /// What the rules need beyond the kind.
    pub fact: Fact,
    /// The place relative to the nearest named type.
    pub at: String,
    /// The path from the walked payload's method.
    pub path: String,
    /// What changed, before → after.
    pub detail: String,
    /// Inside something the baseline marks experimental (the method, a field, a variant or
    /// a type on the way).
    pub experimental: bool,
}

/// Where the walk is.
#[derive(Debug, Clone)]
pub struct Ctx {
    direction: Direction,
    path: Vec<String>,
    anchor: String,
    rel: Vec<String>,
    experimental: bool,
}

impl Ctx {
    /// The start of a payload: `method → params`; `experimental` when the baseline marks the
    /// method experimental.
    pub fn root(direction: Direction, method: &str, role: &str, experimental: bool) -> Ctx {
        Ctx {
            direction,
            path: vec![method.to_owned(), role.to_owned()],
            anchor: format!("{method} {role}"),
            rel: Vec::new(),
            experimental,
        }
    }

    /// Into a field.
    fn push(&self, segment: &str) -> Ctx {
        let mut next = self.clone();
        next.path.push(segment.to_owned());
        next.rel.push(segment.to_owned());
        next
    }

    /// Into the items of an array (`turns[]`) or the values of a map (`tools{}`).
    fn suffix(&self, suffix: &str) -> Ctx {
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
    fn anchored(&self, def: Option<&str>) -> Ctx {
        match def {
            Some(def) if def != self.anchor || !self.rel.is_empty() => {
                Ctx { anchor: def.to_owned(), rel: Vec::new(), ..self.clone() }
            }
            _ => self.clone(),
        }
    }

    /// Into a union variant: a path segment, and the variant's own type if it has one.
    fn variant(&self, label: &str, def: Option<&str>) -> Ctx {
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

    /// The same place, inside something experimental when `experimental` (or already).
    fn inside_experimental(&self, experimental: bool) -> Ctx {
        Ctx { experimental: self.experimental || experimental, ..self.clone() }
    }

    /// The place relative to the nearest named type.
    fn at(&self) -> String {
        std::iter::once(self.anchor.as_str())
            .chain(self.rel.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" → ")
    }
}

/// Compares the schemas of a before and an after surface, one payload at a time.
pub struct Walker<'a> {
    before: [Side<'a>; 2],
    after: [Side<'a>; 2],
    seen: HashSet<(String, String, Direction)>,
    queue: VecDeque<(Node<'a>, Node<'a>, Ctx)>,
    found: Vec<Finding>,
}

fn index(direction: Direction) -> usize {
    match direction {
        Direction::ClientToServer => 0,
        Direction::ServerToClient => 1,
    }
}

/// `x_y-Z` and `xY` read the same: only casing and separators differ.
fn normalized(name: &str) -> String {
    name.chars().filter(|c| *c != '_' && *c != '-').flat_map(char::to_lowercase).collect()
}

/// The one definition every non-null alternative comes from (`T | null` is at `T`).
fn common_def(alts: &Alts<'_>) -> Option<String> {
    if alts.def.is_some() {
        return alts.def.clone();
    }
    let mut defs =
        alts.alts.iter().filter(|alt| !matches!(alt.kind, AltKind::Null)).map(|alt| &alt.def);
    let first = defs.next()?.clone()?;
    defs.all(|def| def.as_deref() == Some(first.as_str())).then_some(first)
}

impl<'a> Walker<'a> {
    /// A walker over the `$defs` of both directions of `before` and `after`.
    pub fn new(before: &'a Baseline, after: &'a Baseline) -> Self {
        // `Direction::ALL` is client → server first: the order of `index`.
        let sides = |surface: &'a Baseline| Direction::ALL.map(|d| Side { defs: surface.defs(d) });
        Walker {
            before: sides(before),
            after: sides(after),
            seen: HashSet::new(),
            queue: VecDeque::new(),
            found: Vec::new(),
        }
    }

    /// Compares two payload schemas breadth first and returns what changed, each finding at
    /// the first (shortest) path of this walk that reaches it.
    pub fn walk(&mut self, before: Node<'a>, after: Node<'a>, ctx: Ctx) -> Vec<Finding> {
        self.seen.clear();
        self.queue.push_back((before, after, ctx));
        while let Some((before, after, ctx)) = self.queue.pop_front() {
            self.diff(&before, &after, &ctx);
        }
        std::mem::take(&mut self.found)
    }

    fn emit(&mut self, ctx: &Ctx, kind: Kind, fact: Fact, detail: String) {
        let (at, path) = (ctx.at(), ctx.path.join(" → "));
        let finding = Finding {
            kind,
            direction: ctx.direction,
            fact,
            at,
            path,
            detail,
            experimental: ctx.experimental,
        };
        if !self.found.contains(&finding) {
            self.found.push(finding);
        }
    }

    fn enqueue(&mut self, before: &Node<'a>, after: &Node<'a>, ctx: Ctx) {
        self.queue.push_back((before.clone(), after.clone(), ctx));
    }

    /// Compares two schemas at the same place.
    fn diff(&mut self, before: &Node<'a>, after: &Node<'a>, ctx: &Ctx) {
        if !self.seen.insert((before.id.clone(), after.id.clone(), ctx.direction)) {
            return;
        }
        let b = expand(before, self.before[index(ctx.direction)]);
        let a = expand(after, self.after[index(ctx.direction)]);
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
        // Nullability and the type itself belong to the place; values and variants to the
        // named type that lists them.
        let typed = self.typed(&b, &a, ctx);
        self.diff_alts(b, a, ctx, &typed);
    }

    /// The context of the named type at a place (if any): there its values and variants are
    /// located, and its own experimental marker is judged.
    fn typed(&mut self, b: &Alts<'a>, a: &Alts<'a>, ctx: &Ctx) -> Ctx {
        let (b_def, a_def) = (common_def(b), common_def(a));
        let typed = ctx.anchored(a_def.as_deref().or(b_def.as_deref()));
        let marked = |side: Side<'_>, def: &Option<String>| {
            def.as_ref().and_then(|d| side.defs.get(d)).is_some_and(is_experimental)
        };
        let was = marked(self.before[index(ctx.direction)], &b_def);
        let now = marked(self.after[index(ctx.direction)], &a_def);
        let name = a_def.or(b_def).unwrap_or_default();
        self.stability(&typed, was, now, &format!("`{name}`"));
        typed.inside_experimental(was)
    }

    /// Reports a stability change of what `ctx` points at (`what` names it).
    fn stability(&mut self, ctx: &Ctx, was: bool, now: bool, what: &str) {
        match (was, now) {
            (false, true) => self.emit(
                ctx,
                Kind::MadeExperimental,
                Fact::None,
                format!("{what} stable → experimental"),
            ),
            (true, false) => self.emit(
                ctx,
                Kind::MadeStable,
                Fact::None,
                format!("{what} experimental → stable"),
            ),
            _ => {}
        }
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
                (Some((key, value)), _, _) if value == super::shape::CATCH_ALL => {
                    format!("{{ {key}: other }}")
                }
                (Some((key, value)), _, _) => format!("{{ {key}: \"{value}\" }}"),
                (None, Some(key), _) => format!("{{ {key} }}"),
                (None, None, Some(def)) => def.clone(),
                (None, None, None) => "object".to_owned(),
            },
            AltKind::Array { .. } => alt.def.clone().map_or("array".to_owned(), |def| def),
            _ => alt.key(),
        })
        .collect();
    match labels.len() {
        0 => "nothing".to_owned(),
        1..=5 => labels.join(" | "),
        n => format!("{} | … ({n} alternatives)", labels[..4].join(" | ")),
    }
}
