//! The rules: which change is breaking in which direction. Every verdict of the check is
//! decided here, so that the rules read like the README that states them.
//!
//! 1. **The direction rule** ([`judge`]): a change is breaking when a peer that followed the
//!    old contract can stop working. What the server receives (client → server) may only
//!    widen; what it sends (server → client) may only narrow.
//! 2. **v1 is frozen** ([`decide`]): any wire change reached through a v1 (or shared) method
//!    is breaking, whatever the direction rule says; so is a new v1 or shared method.
//! 3. **Experimental promises nothing** ([`decide`]): a change reached only inside something
//!    the baseline marks experimental (a method, a field, a variant, a type) is safe; making
//!    something stable experimental is breaking, the reverse is safe.

use std::fmt;

use app_server_protocol::Direction;

/// The release whose wire v1 is frozen at.
pub const V1_FROZEN_AT: &str = "0.63.0";

/// The judgement of one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// A peer built against the baseline can fail or misread a message.
    Breaking,
    /// Breaking or unknown, but listed in `compat/allow.toml` with a reason.
    Accepted,
    /// The check cannot tell (e.g. a keyword it does not model); a human has to judge it.
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

    /// Breaking or unknown: the check fails unless `compat/allow.toml` accepts it.
    pub fn fails(self) -> bool {
        matches!(self, Verdict::Breaking | Verdict::Unknown)
    }
}

/// What a change fact adds to its kind, where the kind alone does not decide the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// The method concerned is a request (it needs an answer).
    Request,
}

macro_rules! kinds {
    ($($variant:ident => $name:literal,)*) => {
        /// What changed. The names are stable: `compat/allow.toml` and `--format json` use them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind { $(#[doc = $name] $variant,)* }

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
    MadeExperimental => "made-experimental",
    MadeStable => "made-stable",
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
    LengthChanged => "length-changed",
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

    /// Whether the change is to the wire — what a peer sends or receives — rather than to
    /// what the table promises about it (a new alias, a stability marker) or to the check's
    /// own reading (a reference it cannot resolve).
    pub fn is_wire(self) -> bool {
        !matches!(
            self,
            Kind::AliasAdded | Kind::MadeExperimental | Kind::MadeStable | Kind::UnresolvedRef
        )
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Widening is safe for what the server receives and breaking for what it sends; narrowing
/// the other way round.
fn widen(direction: Direction) -> Verdict {
    match direction {
        Direction::ClientToServer => Verdict::Safe,
        Direction::ServerToClient => Verdict::Breaking,
    }
}

fn narrow(direction: Direction) -> Verdict {
    widen(direction.reverse())
}

/// The direction rule: the verdict of a change of `kind` to data travelling in `direction`
/// (for a change of the method table: the method's direction).
pub fn judge(kind: Kind, direction: Direction, fact: Fact) -> Verdict {
    use Direction::*;
    use Kind::*;
    match kind {
        // A new server → client request reaches old clients, which can only answer -32601;
        // a new notification is ignored, a new client method is never sent by old clients.
        MethodAdded => match (direction, fact) {
            (ServerToClient, Fact::Request) => Verdict::Breaking,
            _ => Verdict::Safe,
        },
        AliasAdded | MadeStable => Verdict::Safe,
        // A renamed client → server method keeps its old name as an alias; a renamed server →
        // client method is sent under a name old clients do not know.
        MethodRenamed => widen(direction),
        MethodRemoved | AliasRemoved | MethodDirectionChanged | MethodKindChanged => {
            Verdict::Breaking
        }
        // Something stable loses its promise.
        MadeExperimental => Verdict::Breaking,
        // A method that took no params gains some: old senders send none.
        ParamsAdded => match (direction, fact) {
            (ClientToServer, Fact::Required) => Verdict::Breaking,
            _ => Verdict::Safe,
        },
        // A method loses its params: a server that no longer reads them is safe; clients that
        // read what the server sent find none.
        ParamsRemoved => widen(direction),
        // Fields. Added to what the server receives: only an optional field is safe (old
        // senders leave it out); added to what it sends: always safe (receivers ignore
        // unknown keys).
        FieldAdded => match (direction, fact) {
            (ClientToServer, Fact::Required) => Verdict::Breaking,
            _ => Verdict::Safe,
        },
        // Removed from what the server sends: receivers miss it. Removed from what it
        // receives: safe if it was optional (the server never relied on it).
        FieldRemoved => match (direction, fact) {
            (ClientToServer, Fact::Optional) => Verdict::Safe,
            _ => Verdict::Breaking,
        },
        // A renamed key (or its casing) is a different key on the wire.
        FieldRenamed | KeyCasingChanged | ValueCasingChanged | TagKeyChanged | TypeChanged => {
            Verdict::Breaking
        }
        // optional → required narrows what senders may send; required → optional (or
        // nullable) widens what receivers get.
        MadeRequired | MadeNonNullable | TypeNarrowed => narrow(direction),
        MadeOptional | MadeNullable | TypeWidened => widen(direction),
        // A new enum value / union variant: clients fail on it in what the server sends
        // unless the type is declared open; the server accepting one more is safe.
        ValueAdded | VariantAdded => match (direction, fact) {
            (ServerToClient, Fact::Open) => Verdict::Safe,
            _ => widen(direction),
        },
        ValueRemoved | VariantRemoved => narrow(direction),
        // Bounds, formats and patterns: letting more values through widens, fewer narrows;
        // a different format or pattern (neither contains the other) breaks both ways.
        RangeChanged | LengthChanged | FormatChanged | PatternChanged => match fact {
            Fact::Widened => widen(direction),
            Fact::Narrowed => narrow(direction),
            _ => Verdict::Breaking,
        },
        // Unknown keys now rejected: narrowing what the server receives. Extra keys in what
        // it sends are like added fields: receivers ignore them.
        UnknownKeysChanged => match fact {
            Fact::Narrowed => narrow(direction),
            _ => Verdict::Safe,
        },
        KeywordChanged | UnresolvedRef => Verdict::Unknown,
    }
}

/// How a change is reached, over every method path that reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reach {
    /// Through at least one v1 or shared method (frozen).
    pub frozen: bool,
    /// Through at least one path that is stable in the baseline: not inside an experimental
    /// method, field, variant or type.
    pub stable: bool,
}

impl Reach {
    /// Reached by this path or that one.
    pub fn or(self, other: Reach) -> Reach {
        Reach { frozen: self.frozen || other.frozen, stable: self.stable || other.stable }
    }
}

/// Whether an API generation is frozen: v1, and `shared` (its methods, such as `initialize`,
/// serve v1 clients too).
pub fn is_frozen(api: &str) -> bool {
    matches!(api, "v1" | "shared")
}

/// The verdict of a change with every rule applied, and the note that says which rule
/// overrode the direction rule (appended to the change's detail).
pub fn decide(
    kind: Kind,
    direction: Direction,
    fact: Fact,
    reach: Reach,
) -> (Verdict, Option<String>) {
    let verdict = judge(kind, direction, fact);
    if reach.frozen && kind.is_wire() {
        return (Verdict::Breaking, Some(format!("v1 is frozen at {V1_FROZEN_AT}")));
    }
    if !reach.stable && verdict.fails() {
        let note = "only reached inside something experimental in the baseline".to_owned();
        return (Verdict::Safe, Some(note));
    }
    (verdict, None)
}
