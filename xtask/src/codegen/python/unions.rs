//! Unions → Python: an enum of strings is a `Literal`; a union tagged by a member whose value
//! is constant in every variant is a pydantic discriminated union (a class per variant); any
//! other union tries its shapes in order, as serde's untagged decoding does, and reports one
//! error at its own place when none fits. Open enums and unions (`x-open-enum`) take a value
//! they do not know as the Rust type does: the older ones read it as their catch-all
//! (`"unknown"`, the `other` variant: they have one), the others keep it — an enum's string
//! as it came (`Literal[…] | str`), a union's object whole in a class of its own
//! (`UnknownThreadItem`, an `UnknownVariant`), written back unchanged.

use crate::codegen::naming;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::models::{Builder, Class, UNKNOWN_VARIANT, doc_of};
use super::names;

fn is_null(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
}

fn string_const(schema: &Value) -> Option<&str> {
    schema.get("const").and_then(Value::as_str).filter(|_| schema.get("properties").is_none())
}

/// The member every object variant carries with a constant value (`type`), when there is one.
fn tag_of(list: &[Value]) -> Option<String> {
    let first = list.first()?.get("properties")?.as_object()?;
    let candidates = first.iter().filter(|(_, s)| s.get("const").is_some()).map(|(k, _)| k);
    candidates
        .filter(|key| {
            list.iter().all(|variant| {
                variant.pointer(&format!("/properties/{key}/const")).is_some_and(Value::is_string)
                    && variant
                        .get("required")
                        .and_then(Value::as_array)
                        .is_some_and(|r| r.iter().any(|m| m == key.as_str()))
            })
        })
        .min_by_key(|key| *key != "type")
        .cloned()
}

impl Builder {
    /// The type expression of a `oneOf` / `anyOf`.
    pub(super) fn union(
        &mut self,
        schema: &Value,
        list: &[Value],
        one_of: bool,
        encode: Option<&Value>,
        hint: &str,
        uses: &mut BTreeSet<String>,
    ) -> String {
        let open = schema.get("x-open-enum").and_then(Value::as_bool) == Some(true);
        let encoded: Vec<Option<&Value>> = (0..list.len())
            .map(|i| encode.and_then(|e| e.get(if one_of { "oneOf" } else { "anyOf" })?.get(i)))
            .collect();
        if let [a, b] = list
            && (is_null(a) || is_null(b))
        {
            let (inner, index) = if is_null(a) { (b, 1) } else { (a, 0) };
            return format!("{} | None", self.expr(inner, encoded[index], hint, uses));
        }
        let consts: Vec<&str> = list.iter().filter_map(string_const).collect();
        if consts.len() == list.len() {
            let literal = format!("Literal[{}]", known_list(&consts));
            return match open {
                // No catch-all value: the string is kept as it came.
                true if !consts.contains(&ENUM_FALLBACK) => format!("Union[{literal}, str]"),
                true => format!("Annotated[{literal}, {}]", open_enum(&consts)),
                false => literal,
            };
        }
        if consts.is_empty()
            && let Some(tag) = tag_of(list)
        {
            return self.tagged(list, &encoded, &tag, open, hint);
        }
        let shapes = Shapes { list, encoded: &encoded, consts: &consts, one_of, open };
        self.untagged(&shapes, hint, uses)
    }

    /// A union that is neither an enum of strings nor tagged by a member: its strings as one
    /// `Literal`, then its other shapes, tried in order.
    fn untagged(&mut self, shapes: &Shapes<'_>, hint: &str, uses: &mut BTreeSet<String>) -> String {
        let mut members = Vec::new();
        if !shapes.consts.is_empty() {
            members.push(format!("Literal[{}]", known_list(shapes.consts)));
        }
        let mut keyed = Vec::new();
        let others =
            shapes.list.iter().zip(shapes.encoded).filter(|(v, _)| string_const(v).is_none());
        for (variant, encode) in others {
            let member = self.untagged_member(variant, *encode, hint, uses);
            // serde's externally tagged enums are `oneOf`; untagged ones (`anyOf`) try every
            // shape and fail as a whole.
            if let Some(key) = external_tag(variant).filter(|_| shapes.one_of) {
                keyed.push(format!("{}: {member}", names::string(key)));
            }
            members.push(member);
        }
        let expected = names::string(&format!("one of the shapes of `{hint}`"));
        let mut metadata = vec![
            "Field(union_mode=\"left_to_right\")".to_owned(),
            format!("WrapValidator(one_error({expected}, {{{}}}))", keyed.join(", ")),
        ];
        if shapes.open {
            metadata.push(open_enum(shapes.consts));
        }
        format!("Annotated[Union[{}], {}]", members.join(", "), metadata.join(", "))
    }

    fn untagged_member(
        &mut self,
        variant: &Value,
        encode: Option<&Value>,
        hint: &str,
        uses: &mut BTreeSet<String>,
    ) -> String {
        let object = variant.get("properties").and_then(Value::as_object);
        match object.and_then(|p| p.keys().next()) {
            Some(first) if variant.get("$ref").is_none() => {
                let key = variant
                    .pointer("/required/0")
                    .and_then(Value::as_str)
                    .unwrap_or(first)
                    .to_owned();
                self.class(&format!("{hint}{}", naming::pascal(&key)), "WireModel", variant, encode)
            }
            _ => self.expr(variant, encode, hint, uses),
        }
    }

    /// A discriminated union: a class per variant, named `<Union><Tag>`.
    fn tagged(
        &mut self,
        list: &[Value],
        encoded: &[Option<&Value>],
        tag: &str,
        open: bool,
        hint: &str,
    ) -> String {
        let mut members = Vec::new();
        let mut known = Vec::new();
        for (variant, encode) in list.iter().zip(encoded) {
            let value =
                variant.pointer(&format!("/properties/{tag}/const")).and_then(Value::as_str);
            let value = value.unwrap_or_default();
            known.push(value);
            let name = format!("{hint}{}", naming::pascal(value));
            let base = match variant.get("$ref").and_then(Value::as_str) {
                Some(reference) => self.reference(reference, &mut BTreeSet::new()),
                None => "WireModel".to_owned(),
            };
            let mut own = variant.clone();
            if own.get("description").is_none() && base != "WireModel" {
                own["description"] = Value::from(doc_of(variant));
            }
            self.class(&name, &base, &own, *encode);
            self.default_tag(&name, tag, value);
            members.push(name);
        }
        if let [only] = members.as_slice()
            && !open
        {
            return only.clone();
        }
        if open && !known.contains(&UNION_FALLBACK) {
            return self.keeping_union(&members, &known, tag, hint);
        }
        let mut metadata = vec![format!("Field(discriminator={})", names::string(tag))];
        if open {
            let others: Vec<&str> =
                known.iter().copied().filter(|k| *k != UNION_FALLBACK).collect();
            metadata.push(format!(
                "BeforeValidator(open_union({}, frozenset({{{}}}), {}))",
                names::string(tag),
                known_list(&others),
                names::string(UNION_FALLBACK)
            ));
        }
        format!("Annotated[Union[{}], {}]", members.join(", "), metadata.join(", "))
    }

    /// An open union without a catch-all variant: a tag this version does not know is kept
    /// whole in `Unknown<Union>` (see `UnknownVariant` in `_wire.py`), chosen by the
    /// discriminator with the known variants.
    fn keeping_union(
        &mut self,
        members: &[String],
        known: &[&str],
        tag: &str,
        hint: &str,
    ) -> String {
        let unknown = format!("Unknown{hint}");
        let doc = format!(
            "A `{hint}` of a kind this version does not know (a newer server's), kept whole: every member as it came in `members`, the tag included (`type`); written back unchanged."
        );
        self.module().classes.push(Class {
            name: unknown.clone(),
            base: UNKNOWN_VARIANT.to_owned(),
            doc,
            extra: None,
            fields: Vec::new(),
            omit: BTreeMap::new(),
            hooks: Vec::new(),
        });
        let mut tagged: Vec<String> = members
            .iter()
            .zip(known)
            .map(|(member, value)| format!("Annotated[{member}, Tag({})]", names::string(value)))
            .collect();
        tagged.push(format!("Annotated[{unknown}, Tag(UNKNOWN_TAG)]"));
        format!(
            "Annotated[Union[{}], open_discriminator({}, frozenset({{{}}}))]",
            tagged.join(", "),
            names::string(tag),
            known_list(known)
        )
    }

    /// A variant's tag has its one value as default, so that building a variant needs no tag.
    fn default_tag(&mut self, class: &str, tag: &str, value: &str) {
        let module = self.module();
        if let Some(class) = module.classes.iter_mut().find(|c| c.name == class)
            && let Some(field) = class.fields.iter_mut().find(|f| f.wire == tag)
        {
            field.default = Some(names::string(value));
        }
    }
}

/// The one member of a variant that is an object with exactly one, required member: serde's
/// externally tagged variant (`{"httpConnectionFailed": {…}}`), which the decoder selects by
/// that key and then reports errors inside.
fn external_tag(variant: &Value) -> Option<&str> {
    let properties = variant.get("properties")?.as_object()?;
    let required = variant.get("required")?.as_array()?;
    match (properties.keys().collect::<Vec<_>>().as_slice(), required.as_slice()) {
        ([key], [only]) if only == key.as_str() => Some(key.as_str()),
        _ => None,
    }
}

/// The variants of a union with what the builder needs to know about them.
struct Shapes<'a> {
    list: &'a [Value],
    encoded: &'a [Option<&'a Value>],
    consts: &'a [&'a str],
    one_of: bool,
    open: bool,
}

/// The catch-all value of the older open enums (`PlanType`, `SessionSource`): a string this
/// version does not know reads as it.
const ENUM_FALLBACK: &str = "unknown";

/// The tag of the catch-all variant of the older open unions (`ResponseItem`,
/// `WebSearchAction`): an object whose tag this version does not know reads as it.
const UNION_FALLBACK: &str = "other";

/// An open enum's validator: a string this version does not know reads as `"unknown"`.
fn open_enum(consts: &[&str]) -> String {
    format!(
        "BeforeValidator(open_enum(frozenset({{{}}}), {}))",
        known_list(consts),
        names::string(ENUM_FALLBACK)
    )
}

fn known_list(values: &[&str]) -> String {
    values.iter().map(|v| names::string(v)).collect::<Vec<_>>().join(", ")
}
