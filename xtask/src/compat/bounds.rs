//! Bounds of a value set: a numeric range (`minimum`, `maximum`, `exclusiveMinimum`,
//! `exclusiveMaximum`, and the range an integer `format` such as `uint32` implies), or a
//! length (`minLength`/`maxLength` of a string, `minItems`/`maxItems` of an array). Two bounds
//! compare by inclusion: one within the other narrowed or widened the values, neither within
//! the other changed them.

use serde_json::Value;

/// One end of a range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// The limit.
    pub value: f64,
    /// The limit itself is excluded (`exclusiveMinimum`, `exclusiveMaximum`).
    pub exclusive: bool,
}

impl Bound {
    fn inclusive(value: f64) -> Bound {
        Bound { value, exclusive: false }
    }
}

/// The values a schema allows along one dimension: `None` is an open end.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Range {
    /// The lower end.
    pub min: Option<Bound>,
    /// The upper end.
    pub max: Option<Bound>,
}

/// How one range relates to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inclusion {
    /// The same values.
    Same,
    /// The new range holds every old value and more.
    Widened,
    /// The old range holds every new value and more.
    Narrowed,
    /// Neither holds the other.
    Changed,
}

/// The range an integer `format` implies (the Rust width the schema was generated from).
fn format_range(format: Option<&str>) -> Range {
    let (min, max) = match format {
        Some("int8") => (i8::MIN as f64, i8::MAX as f64),
        Some("uint8") => (0.0, u8::MAX as f64),
        Some("int16") => (i16::MIN as f64, i16::MAX as f64),
        Some("uint16") => (0.0, u16::MAX as f64),
        Some("int32") => (i32::MIN as f64, i32::MAX as f64),
        Some("uint32") => (0.0, u32::MAX as f64),
        Some("int64") => (i64::MIN as f64, i64::MAX as f64),
        Some("uint64" | "uint") => (0.0, u64::MAX as f64),
        _ => return Range::default(),
    };
    Range { min: Some(Bound::inclusive(min)), max: Some(Bound::inclusive(max)) }
}

impl Range {
    /// The values of a `number` schema: its four range keywords.
    pub fn of_number(schema: &Value) -> Range {
        let get = |key: &str| schema.get(key).and_then(Value::as_f64);
        let mut range = Range::default();
        let ends = [
            (get("minimum").map(Bound::inclusive), true),
            (get("exclusiveMinimum").map(|value| Bound { value, exclusive: true }), true),
            (get("maximum").map(Bound::inclusive), false),
            (get("exclusiveMaximum").map(|value| Bound { value, exclusive: true }), false),
        ];
        for (bound, lower) in ends {
            let Some(bound) = bound else { continue };
            let end = if lower {
                Range { min: Some(bound), max: None }
            } else {
                Range { min: None, max: Some(bound) }
            };
            range = range.intersect(end);
        }
        range
    }

    /// The values of an `integer` schema: its `format`'s width and its range keywords, with
    /// exclusive ends made inclusive (`exclusiveMinimum: 0` is `minimum: 1`).
    pub fn of_integer(schema: &Value) -> Range {
        let mut range = Range::of_number(schema);
        if let Some(min) = range.min.filter(|b| b.exclusive) {
            range.min = Some(Bound::inclusive(min.value.floor() + 1.0));
        }
        if let Some(max) = range.max.filter(|b| b.exclusive) {
            range.max = Some(Bound::inclusive(max.value.ceil() - 1.0));
        }
        let format = schema.get("format").and_then(Value::as_str);
        range.intersect(format_range(format))
    }

    /// A length from two keywords (`minLength`/`maxLength`, `minItems`/`maxItems`); a length
    /// is never below 0, so `minLength: 0` is no bound.
    pub fn of_length(schema: &Value, min_key: &str, max_key: &str) -> Range {
        let get = |key: &str| schema.get(key).and_then(Value::as_f64);
        Range {
            min: get(min_key).filter(|v| *v > 0.0).map(Bound::inclusive),
            max: get(max_key).map(Bound::inclusive),
        }
    }

    /// The values both ranges allow.
    pub fn intersect(self, other: Range) -> Range {
        let tighter = |a: Option<Bound>, b: Option<Bound>, lower: bool| match (a, b) {
            (Some(a), Some(b)) => Some(if end_within(a, b, lower) { a } else { b }),
            (a, b) => a.or(b),
        };
        Range { min: tighter(self.min, other.min, true), max: tighter(self.max, other.max, false) }
    }

    /// Whether every value of `self` is in `other`.
    pub fn within(self, other: Range) -> bool {
        let side = |mine: Option<Bound>, theirs: Option<Bound>, lower: bool| match (mine, theirs) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(a), Some(b)) => end_within(a, b, lower),
        };
        side(self.min, other.min, true) && side(self.max, other.max, false)
    }

    /// How `after` relates to `self` (the before range).
    pub fn compare(self, after: Range) -> Inclusion {
        match (self.within(after), after.within(self)) {
            (true, true) => Inclusion::Same,
            (true, false) => Inclusion::Widened,
            (false, true) => Inclusion::Narrowed,
            (false, false) => Inclusion::Changed,
        }
    }

    /// `[min, max]`, with `(`/`)` for an excluded end and `…` for an open one.
    pub fn describe(self) -> String {
        let low = self.min.map_or("[…".to_owned(), |b| {
            format!("{}{}", if b.exclusive { "(" } else { "[" }, b.value)
        });
        let high = self.max.map_or("…]".to_owned(), |b| {
            format!("{}{}", b.value, if b.exclusive { ")" } else { "]" })
        });
        format!("{low}, {high}")
    }
}

/// Whether end `a` is at least as tight as end `b` (a lower end: `a ≥ b`; an upper end:
/// `a ≤ b`); at the same value an exclusive end is the tighter.
fn end_within(a: Bound, b: Bound, lower: bool) -> bool {
    let beyond = if lower { a.value > b.value } else { a.value < b.value };
    beyond || (a.value == b.value && (a.exclusive || !b.exclusive))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn ranges_compare_by_inclusion_with_exclusive_ends_tighter() {
        let number = |schema| Range::of_number(&schema);
        let closed = number(json!({ "minimum": 0, "maximum": 10 }));
        let open_low = number(json!({ "exclusiveMinimum": 0, "maximum": 10 }));
        assert_eq!(closed.compare(open_low), Inclusion::Narrowed);
        assert_eq!(open_low.compare(closed), Inclusion::Widened);
        assert_eq!(
            closed.compare(number(json!({ "minimum": 5, "maximum": 20 }))),
            Inclusion::Changed
        );
        assert_eq!(closed.describe(), "[0, 10]");
        assert_eq!(open_low.describe(), "(0, 10]");
        assert_eq!(Range::default().describe(), "[…, …]");
        let integer = Range::of_integer(&json!({ "exclusiveMinimum": 0, "format": "uint8" }));
        assert_eq!(integer.describe(), "[1, 255]");
    }
}
