//! Compare two matched alternatives: objects go to [`super::objects`]; arrays compare their
//! items (queued) and their length; numbers their range; strings their length, `format` and
//! `pattern`. A bound that lets more values through widened the alternative, one that lets
//! fewer through narrowed it, and two bounds neither of which holds the other changed it
//! ([`crate::compat::bounds`]); the rules judge each by direction.

use serde_json::Value;

use super::{Ctx, Walker};
use crate::compat::bounds::{Inclusion, Range};
use crate::compat::rules::{Fact, Kind};
use crate::compat::shape::{Alt, AltKind, Node};

impl<'a> Walker<'a> {
    /// Compares two matched alternatives; `tagged` when they are union variants matched by
    /// their tag.
    pub(super) fn diff_alt(&mut self, old: Alt<'a>, new: Alt<'a>, ctx: &Ctx, tagged: bool) {
        match (old.kind, new.kind) {
            (AltKind::Object(b), AltKind::Object(a)) => self.diff_object(b, a, ctx, tagged),
            (AltKind::Array { items: b, length: bl }, AltKind::Array { items: a, length: al }) => {
                self.bounds(ctx, Kind::LengthChanged, "array length", bl, al);
                let any = |id: String| Node::owned(Value::Bool(true), id);
                let b = b.unwrap_or_else(|| any(format!("{}/items", ctx.at())));
                let a = a.unwrap_or_else(|| any(format!("{}/items", ctx.at())));
                self.enqueue(&b, &a, ctx.suffix("[]"));
            }
            (AltKind::Integer(b), AltKind::Integer(a)) => {
                self.bounds(ctx, Kind::RangeChanged, "integer", b, a)
            }
            (AltKind::Number(b), AltKind::Number(a)) => {
                self.bounds(ctx, Kind::RangeChanged, "number", b, a)
            }
            (
                AltKind::String { format: bf, pattern: bp, length: bl },
                AltKind::String { format: af, pattern: ap, length: al },
            ) => {
                self.bounds(ctx, Kind::LengthChanged, "string length", bl, al);
                self.constraint(ctx, Kind::FormatChanged, "format", bf, af);
                self.constraint(ctx, Kind::PatternChanged, "pattern", bp, ap);
            }
            _ => {}
        }
    }

    /// A range or length, before → after.
    fn bounds(&mut self, ctx: &Ctx, kind: Kind, what: &str, before: Range, after: Range) {
        let fact = match before.compare(after) {
            Inclusion::Same => return,
            Inclusion::Widened => Fact::Widened,
            Inclusion::Narrowed => Fact::Narrowed,
            Inclusion::Changed => Fact::Changed,
        };
        self.emit(ctx, kind, fact, format!("{what} {} → {}", before.describe(), after.describe()));
    }

    /// A string `format` or `pattern`: added narrows (only matching strings pass), removed
    /// widens, another value changes (the check does not compare two regexes or formats).
    fn constraint(
        &mut self,
        ctx: &Ctx,
        kind: Kind,
        what: &str,
        before: Option<String>,
        after: Option<String>,
    ) {
        let fact = match (&before, &after) {
            (None, Some(_)) => Fact::Narrowed,
            (Some(_), None) => Fact::Widened,
            (Some(x), Some(y)) if x != y => Fact::Changed,
            _ => return,
        };
        let show = |v: &Option<String>| v.as_ref().map_or("none".to_owned(), |v| format!("`{v}`"));
        self.emit(ctx, kind, fact, format!("string {what} {} → {}", show(&before), show(&after)));
    }
}
