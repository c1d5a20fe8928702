//! Types of the Model Context Protocol (MCP) that the agent passes through to clients: tool
//! definitions, resources, and the content blocks of a tool call's result.
//!
//! They keep MCP's own conventions, which differ from the rest of v2: field names are
//! camelCase as MCP spells them, and every optional member is OMITTED from the JSON when it
//! has no value (never written as `null`). On input a `null` is read like an absent member.

use serde::de::{Error as _, Unexpected};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::by_name::from_value;

/// Who a piece of content is meant for, in MCP annotations and messages.
///
/// Wire values: `"assistant"`, `"user"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The model.
    Assistant,
    /// The human user.
    User,
}

/// Hints an MCP server attaches to content or resources to help clients decide how to use or
/// show them. Every member is optional and omitted when absent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Annotations {
    /// Who the content is intended for, e.g. `["user"]`. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Vec<Role>>,
    /// When the resource was last modified, as an ISO 8601 timestamp string
    /// (e.g. `"2025-01-12T15:00:58Z"`). Omitted when absent.
    #[serde(rename = "lastModified", default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// How important the content is, from `0.0` (least) to `1.0` (most). Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<f64>,
}

/// A tool offered by an MCP server: its name, what it does and the JSON Schema of its
/// arguments.
///
/// Optional members (`title`, `description`, `outputSchema`, `annotations`) are omitted when
/// absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Tool {
    /// Behaviour hints (read-only, destructive …). Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<ToolAnnotations>,
    /// What the tool does, in prose meant for the model (and for display). Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// JSON Schema of the tool's arguments (always an object schema).
    #[serde(rename = "inputSchema")]
    pub input_schema: ToolInputSchema,
    /// The tool's programmatic name, unique within its server, e.g. `"search_issues"`.
    pub name: String,
    /// JSON Schema of the tool's structured output, when the tool declares one. Omitted when
    /// absent.
    #[serde(rename = "outputSchema", default, skip_serializing_if = "Option::is_none")]
    pub output_schema: Option<ToolOutputSchema>,
    /// A human-friendly display name, e.g. `"Search issues"`. Omitted when absent (show
    /// `name` then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// Hints about how an MCP tool behaves. They come from the MCP server and are not verified:
/// never base a security decision on them. Every member is omitted when absent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ToolAnnotations {
    /// Whether the tool may destroy or overwrite data (meaningful when not read-only).
    #[serde(rename = "destructiveHint", default, skip_serializing_if = "Option::is_none")]
    pub destructive_hint: Option<bool>,
    /// Whether calling the tool twice with the same arguments has no extra effect.
    #[serde(rename = "idempotentHint", default, skip_serializing_if = "Option::is_none")]
    pub idempotent_hint: Option<bool>,
    /// Whether the tool talks to the outside world (e.g. the web) rather than a closed domain.
    #[serde(rename = "openWorldHint", default, skip_serializing_if = "Option::is_none")]
    pub open_world_hint: Option<bool>,
    /// Whether the tool only reads and never changes anything.
    #[serde(rename = "readOnlyHint", default, skip_serializing_if = "Option::is_none")]
    pub read_only_hint: Option<bool>,
    /// A human-friendly display name for the tool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// The JSON Schema of an MCP tool's arguments: an object schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ToolInputSchema {
    /// The schema of each argument, keyed by argument name (a JSON Schema `properties`
    /// object). Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<Value>,
    /// Names of the required arguments. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<Vec<String>>,
    /// The schema type; always `"object"`.
    #[serde(rename = "type")]
    pub r#type: String,
}

/// The JSON Schema of an MCP tool's structured output (the `structuredContent` of its result):
/// an object schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ToolOutputSchema {
    /// The schema of each output member, keyed by name. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<Value>,
    /// Names of the members always present in the output. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<Vec<String>>,
    /// The schema type; always `"object"`.
    #[serde(rename = "type")]
    pub r#type: String,
}

/// A resource an MCP server can read (a file, a database row, an API object …), as listed by
/// the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Resource {
    /// Hints about audience and importance. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Annotations>,
    /// What the resource is. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its MIME type, e.g. `"text/markdown"`. Omitted when absent.
    #[serde(rename = "mimeType", default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Its programmatic name, e.g. `"README.md"`.
    pub name: String,
    /// Its size in bytes, before any encoding. Omitted when absent. Values beyond 2^53 are not
    /// portable to JavaScript.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// A human-friendly display name. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The resource's URI, e.g. `"file:///repo/README.md"`.
    pub uri: String,
}

/// A family of resources an MCP server can read, described by a URI template (RFC 6570),
/// e.g. `"db://tables/{table}"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ResourceTemplate {
    /// Hints about audience and importance. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Annotations>,
    /// What the resources are. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The MIME type shared by all matching resources, when they share one. Omitted when
    /// absent.
    #[serde(rename = "mimeType", default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The template's programmatic name.
    pub name: String,
    /// A human-friendly display name. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The URI template, e.g. `"file:///{path}"`.
    #[serde(rename = "uriTemplate")]
    pub uri_template: String,
}

/// A link to a resource, returned inside a tool result (`type: "resource_link"`). The resource
/// is not guaranteed to appear in the server's resource list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ResourceLink {
    /// Hints about audience and importance. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Annotations>,
    /// What the resource is. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its MIME type. Omitted when absent.
    #[serde(rename = "mimeType", default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Its programmatic name.
    pub name: String,
    /// Its size in bytes. Omitted when absent. Values beyond 2^53 are not portable to
    /// JavaScript.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// A human-friendly display name. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The block kind; `"resource_link"`.
    #[serde(rename = "type")]
    pub r#type: String,
    /// The resource's URI.
    pub uri: String,
}

/// One block of content in an MCP tool result: text, an image, audio, a resource link or an
/// embedded resource.
///
/// On the wire this is an untagged union of the five shapes; each carries a `type` member
/// (`"text"`, `"image"`, `"audio"`, `"resource_link"`, `"resource"`). Decoding picks the
/// variant by `type` when it is one of those and the members fit; otherwise it falls back to
/// the first shape that fits, as an untagged union does. Encoding writes the block's own
/// members unchanged.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(untagged)]
pub enum ContentBlock {
    /// Text (`type: "text"`).
    TextContent(TextContent),
    /// An image (`type: "image"`).
    ImageContent(ImageContent),
    /// Audio (`type: "audio"`).
    AudioContent(AudioContent),
    /// A link to a resource (`type: "resource_link"`).
    ResourceLink(ResourceLink),
    /// A resource embedded in full (`type: "resource"`).
    EmbeddedResource(EmbeddedResource),
}

impl ContentBlock {
    /// The block's `type` member, e.g. `"text"`.
    pub fn type_name(&self) -> &str {
        match self {
            ContentBlock::TextContent(block) => &block.r#type,
            ContentBlock::ImageContent(block) => &block.r#type,
            ContentBlock::AudioContent(block) => &block.r#type,
            ContentBlock::ResourceLink(block) => &block.r#type,
            ContentBlock::EmbeddedResource(block) => &block.r#type,
        }
    }

    /// A text block (`type: "text"`) without annotations.
    pub fn text(text: impl Into<String>) -> ContentBlock {
        ContentBlock::TextContent(TextContent {
            annotations: None,
            text: text.into(),
            r#type: "text".to_owned(),
        })
    }
}

impl<'de> Deserialize<'de> for ContentBlock {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = object(deserializer, "struct ContentBlock")?;
        // A known `type` picks the variant (so audio is not read as an image, which has the
        // same members).
        let by_type = match value.get("type").and_then(Value::as_str) {
            Some("text") => Some(from_value(value.clone()).map(Self::TextContent)),
            Some("image") => Some(from_value(value.clone()).map(Self::ImageContent)),
            Some("audio") => Some(from_value(value.clone()).map(Self::AudioContent)),
            Some("resource_link") => Some(from_value(value.clone()).map(Self::ResourceLink)),
            Some("resource") => Some(from_value(value.clone()).map(Self::EmbeddedResource)),
            _ => None,
        };
        let by_type_error = match by_type {
            Some(Ok(block)) => return Ok(block),
            Some(Err(err)) => Some(err),
            None => None,
        };
        // Otherwise (unknown `type`, or members that do not fit it) the first shape that fits,
        // in declaration order, as an untagged union reads it.
        if let Ok(block) = from_value(value.clone()) {
            return Ok(Self::TextContent(block));
        }
        if let Ok(block) = from_value(value.clone()) {
            return Ok(Self::ImageContent(block));
        }
        if let Ok(block) = from_value(value.clone()) {
            return Ok(Self::AudioContent(block));
        }
        if let Ok(block) = from_value(value.clone()) {
            return Ok(Self::ResourceLink(block));
        }
        if let Ok(block) = from_value(value) {
            return Ok(Self::EmbeddedResource(block));
        }
        Err(match by_type_error {
            Some(err) => D::Error::custom(err),
            None => D::Error::custom(
                "data did not match any MCP content block (text, image, audio, resource_link, \
                 resource)",
            ),
        })
    }
}

/// A text content block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct TextContent {
    /// Hints about audience and importance. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Annotations>,
    /// The text.
    pub text: String,
    /// The block kind; `"text"`.
    #[serde(rename = "type")]
    pub r#type: String,
}

/// An image content block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct ImageContent {
    /// Hints about audience and importance. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Annotations>,
    /// The image bytes, base64-encoded.
    pub data: String,
    /// The image's MIME type, e.g. `"image/png"`.
    #[serde(rename = "mimeType")]
    pub mime_type: String,
    /// The block kind; `"image"`.
    #[serde(rename = "type")]
    pub r#type: String,
}

/// An audio content block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct AudioContent {
    /// Hints about audience and importance. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Annotations>,
    /// The audio bytes, base64-encoded.
    pub data: String,
    /// The audio's MIME type, e.g. `"audio/wav"`.
    #[serde(rename = "mimeType")]
    pub mime_type: String,
    /// The block kind; `"audio"`.
    #[serde(rename = "type")]
    pub r#type: String,
}

/// A resource whose contents are embedded in the tool result (`type: "resource"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct EmbeddedResource {
    /// Hints about audience and importance. Omitted when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Annotations>,
    /// The resource's contents, as text or as a base64 blob.
    pub resource: EmbeddedResourceResource,
    /// The block kind; `"resource"`.
    #[serde(rename = "type")]
    pub r#type: String,
}

/// The contents of an embedded resource: text (has a `text` member) or binary (has a `blob`
/// member). An untagged union on the wire; decoding takes the first shape that fits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(untagged)]
pub enum EmbeddedResourceResource {
    /// Text contents.
    TextResourceContents(TextResourceContents),
    /// Binary contents, base64-encoded.
    BlobResourceContents(BlobResourceContents),
}

impl<'de> Deserialize<'de> for EmbeddedResourceResource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // What serde's untagged derive does, but by name: it buffers the value and would read
        // an array into either shape's fields.
        let value = object(deserializer, "struct EmbeddedResourceResource")?;
        if let Ok(contents) = from_value(value.clone()) {
            return Ok(Self::TextResourceContents(contents));
        }
        from_value(value).map(Self::BlobResourceContents).map_err(|_| {
            D::Error::custom(
                "data did not match any variant of untagged enum EmbeddedResourceResource",
            )
        })
    }
}

/// Reads a JSON object as a [`Value`], refusing anything else as serde refuses a non-object
/// where a struct (`expected`, e.g. `"struct ContentBlock"`) is expected.
fn object<'de, D: Deserializer<'de>>(
    deserializer: D,
    expected: &'static str,
) -> Result<Value, D::Error> {
    let value = Value::deserialize(deserializer)?;
    let unexpected = match &value {
        Value::Object(_) => return Ok(value),
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (_, Some(i), _) => Unexpected::Signed(i),
            (_, _, f) => Unexpected::Float(f.unwrap_or_default()),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
    };
    Err(D::Error::invalid_type(unexpected, &expected))
}

/// The text contents of a resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct TextResourceContents {
    /// The MIME type, e.g. `"text/plain"`. Omitted when absent.
    #[serde(rename = "mimeType", default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The text.
    pub text: String,
    /// The resource's URI.
    pub uri: String,
}

/// The binary contents of a resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct BlobResourceContents {
    /// The bytes, base64-encoded.
    pub blob: String,
    /// The MIME type, e.g. `"application/pdf"`. Omitted when absent.
    #[serde(rename = "mimeType", default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The resource's URI.
    pub uri: String,
}

/// What an MCP server answered to a tool call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct CallToolResult {
    /// The result's content blocks, in order.
    pub content: Vec<ContentBlock>,
    /// `true` when the tool reports that the call failed (the content then describes the
    /// error). Omitted when the server did not say.
    #[serde(rename = "isError", default, skip_serializing_if = "Option::is_none")]
    pub is_error: Option<bool>,
    /// Machine-readable output matching the tool's `outputSchema`, when it has one: any JSON
    /// value. Omitted when absent.
    #[serde(rename = "structuredContent", default, skip_serializing_if = "Option::is_none")]
    pub structured_content: Option<Value>,
}
