//! The rules: what kind of change is breaking in which direction. Every verdict of the check
//! is decided here, in one table, so that the rules read like the issue that defines them:
//! what a peer *sends* the server (input) may only widen; what the server *sends* (output)
//! may only narrow.

use std::fmt;

/// Which way the data of a change flows, seen from the server (README §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Flow {
    /// What the server receives: params of client requests and notifications, results of
    /// server requests. Decoded leniently; may only widen.
    Input,
    /// What the server sends: results of client requests, params of server requests and
    /// notifications. Encoded strictly; may only narrow.
    Output,
}

impl Flow {
    /// `"input"` or `"output"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Flow::Input => "input",
            Flow::Output => "output",
        }
    }

    /// Parses `"input"` / `"output"`.
    pub fn parse(text: &str) -> Option<Flow> {
        match text {
            "input" => Some(Flow::Input),
            "output" => Some(Flow::Output),
            _ => None,
        }
    }
}

/// The judgement of one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// A peer built against the baseline can fail or misread a message.
    Breaking,
    /// Breaking or unknown, but listed in `compat/allow.toml` with a reason.
    Accepted,
    /// The check cannot tell (e.g. a changed regex); a human has to judge it.
    Unknown,
    /// A peer built against the baseline is not affected.
    Safe,
}

impl Verdict {
    /// `"breaking"`, `"accepted"`, `"unknown"` or `"safe"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Breaking => "breaking",
            Verdict::Accepted => "accepted",
            Verdict::Unknown => "unknown",
            Verdict::Safe => "safe",
        }
    }
}

/// What a change fact adds to its kind, where the kind alone does not decide the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    /// Nothing more to say.
    None,
    /// The field (or params type) concerned is required.
    Required,
    /// The field concerned is optional.
    Optional,
    /// The baseline declares the enum/union open (`x-open-enum`): receivers map unknown values
    /// to a fallback.
    Open,
    /// The set of accepted values grew.
    Widened,
    /// The set of accepted values shrank.
    Narrowed,
    /// The set changed in a way that is neither (e.g. two different formats).
    Changed,
}

macro_rules! kinds {
    ($($variant:ident => $name:literal,)*) => {
        /// What changed. The names are stable: `compat/allow.toml` and `--format json` use them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind { $($variant,)* }

        impl Kind {
            /// Every kind, in declaration order.
            pub const ALL: &[Kind] = &[$(Kind::$variant,)*];

            /// The kebab-case name, e.g. `"field-added"`.
            pub fn as_str(self) -> &'static str {
                match self { $(Kind::$variant => $name,)* }
            }
        }
    };
}

kinds! {
    MethodAdded => "method-added",
    MethodRemoved => "method-removed",
    MethodRenamed => "method-renamed",
    MethodDirectionChanged => "method-direction-changed",
    MethodKindChanged => "method-kind-changed",
    AliasAdded => "alias-added",
    AliasRemoved => "alias-removed",
    ParamsAdded => "params-added",
    ParamsRemoved => "params-removed",
    FieldAdded => "field-added",
    FieldRemoved => "field-removed",
    FieldRenamed => "field-renamed",
    KeyCasingChanged => "key-casing-changed",
    MadeRequired => "made-required",
    MadeOptional => "made-optional",
    MadeNullable => "made-nullable",
    MadeNonNullable => "made-non-nullable",
    ValueAdded => "value-added",
    ValueRemoved => "value-removed",
    VariantAdded => "variant-added",
    VariantRemoved => "variant-removed",
    ValueCasingChanged => "value-casing-changed",
    TagKeyChanged => "tag-key-changed",
    TypeChanged => "type-changed",
    TypeWidened => "type-widened",
    TypeNarrowed => "type-narrowed",
    RangeChanged => "range-changed",
    FormatChanged => "format-changed",
    PatternChanged => "pattern-changed",
    UnknownKeysChanged => "unknown-keys-changed",
    KeywordChanged => "keyword-changed",
    UnresolvedRef => "unresolved-ref",
}

impl Kind {
    /// Parses a kind name.
    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|kind| kind.as_str() == text)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Widening is safe for what the server receives and breaking for what it sends; narrowing
/// the other way round.
fn widen(flow: Option<Flow>) -> Verdict {
    match flow {
        Some(Flow::Input) => Verdict::Safe,
        _ => Verdict::Breaking,
    }
}

fn narrow(flow: Option<Flow>) -> Verdict {
    match flow {
        Some(Flow::Output) => Verdict::Safe,
        _ => Verdict::Breaking,
    }
}

/// The verdict of a change. `flow` is `None` for changes of the method table itself.
pub fn judge(kind: Kind, flow: Option<Flow>, fact: Fact) -> Verdict {
    use Kind::*;
    match kind {
        // Method table: removing or renaming breaks every peer that uses the old name,
        // unless the old name stays accepted as an alias; adding is always safe.
        MethodAdded | AliasAdded | MethodRenamed => Verdict::Safe,
        MethodRemoved | AliasRemoved | MethodDirectionChanged | MethodKindChanged => {
            Verdict::Breaking
        }
        // A method that took no params gains some: old senders send none.
        ParamsAdded => match (flow, fact) {
            (Some(Flow::Input), Fact::Required) => Verdict::Breaking,
            _ => Verdict::Safe,
        },
        // A method loses its params: a server that no longer reads them is safe; clients that
        // read what the server sent find none.
        ParamsRemoved => match flow {
            Some(Flow::Input) => Verdict::Safe,
            _ => Verdict::Breaking,
        },
        // Fields. Added to input: only an optional field is safe (old senders leave it out);
        // added to output: always safe (receivers ignore unknown keys).
        FieldAdded => match (flow, fact) {
            (Some(Flow::Input), Fact::Required) => Verdict::Breaking,
            _ => Verdict::Safe,
        },
        // Removed from output: receivers miss it. Removed from input: safe if it was
        // optional (the server never relied on it).
        FieldRemoved => match (flow, fact) {
            (Some(Flow::Input), Fact::Optional) => Verdict::Safe,
            _ => Verdict::Breaking,
        },
        // A renamed key (or its casing) is a different key on the wire.
        FieldRenamed | KeyCasingChanged | ValueCasingChanged | TagKeyChanged | TypeChanged => {
            Verdict::Breaking
        }
        // optional → required narrows what senders may send; required → optional (or
        // nullable) widens what receivers get.
        MadeRequired | MadeNonNullable | TypeNarrowed => narrow(flow),
        MadeOptional | MadeNullable | TypeWidened => widen(flow),
        // A new enum value / union variant: receivers of output fail on it unless the type
        // is declared open; the server accepting one more is safe.
        ValueAdded | VariantAdded => match (flow, fact) {
            (Some(Flow::Output), Fact::Open) => Verdict::Safe,
            _ => widen(flow),
        },
        ValueRemoved | VariantRemoved => narrow(flow),
        RangeChanged | FormatChanged => match fact {
            Fact::Widened => widen(flow),
            Fact::Narrowed => narrow(flow),
            _ => Verdict::Breaking,
        },
        PatternChanged => match fact {
            Fact::Widened => widen(flow),
            Fact::Narrowed => narrow(flow),
            _ => Verdict::Unknown,
        },
        // Unknown keys now rejected: narrowing for input. Extra keys on output are like
        // added fields: receivers ignore them.
        UnknownKeysChanged => match fact {
            Fact::Narrowed => narrow(flow),
            _ => Verdict::Safe,
        },
        KeywordChanged | UnresolvedRef => Verdict::Unknown,
    }
}
