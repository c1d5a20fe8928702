//! The documented steps of adding a method (ARCHITECTURE.md, "Where to start"), made to a
//! copy of the repository for the v2 method `thread/rename` (`{threadId, name}` → `{}`):
//! its types, one row, one fixture, one CHANGELOG line, the mock's handler. (The last step,
//! `cargo xtask codegen`, is a command the walk runs.) Each edit finds its place by an anchor
//! in the file and says which one it missed, so that a change of layout fails clearly.

use std::fs;
use std::path::Path;

/// The method the walk adds.
pub const METHOD: &str = "thread/rename";

/// The name of the mock's handler method.
pub const HANDLER: &str = "thread_rename";

/// The method's variant, which the compiler names when the mock's route lacks it.
pub const VARIANT: &str = "ThreadRename";

/// Step 1: the payload types, beside the other thread payloads.
const TYPES: &str = r#"
/// Params of `thread/rename`: give a thread a name of the user's choosing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ThreadRenameParams"))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ThreadRenameParams {
    /// The thread to rename.
    pub thread_id: String,
    /// Its new name.
    pub name: String,
}

/// Result of `thread/rename`: an empty object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Payload)]
#[cfg_attr(feature = "codegen", derive(ts_rs::TS, schemars::JsonSchema))]
#[cfg_attr(feature = "codegen", ts(export_to = "v2/"))]
#[cfg_attr(feature = "codegen", schemars(rename = "v2.ThreadRenameResponse"))]
#[non_exhaustive]
pub struct ThreadRenameResponse {}
"#;

/// Step 2: one row, after `thread/archive`'s.
const ROW: &str = r#"        /// Renames a thread: the name shows in thread lists.
        ThreadRename => "thread/rename" {
            params: v2::ThreadRenameParams,
            result: v2::ThreadRenameResponse,
            api: V2,
            example: { "threadId": "thr_1", "name": "Refund bug" },
        }
"#;

/// Step 3: one fixture, an exchange.
const FIXTURE: &str = concat!(
    r#"{"from": "client", "message": {"id": 41, "method": "thread/rename", "params": {"threadId": "thr_01JD6K9W3T", "name": "Refund bug"}}}"#,
    "\n",
    r#"{"from": "server", "message": {"id": 41, "result": {}}}"#,
    "\n",
);

/// Step 4: one CHANGELOG line, first under "Added".
const CHANGELOG_LINE: &str = "- `thread/rename` (`{ threadId, name }` → `{}`): names a thread.\n";

/// Step 5, in two lines of one place: the mock's route of the method to its handler, after
/// `thread/archive`'s (the compiler names the method while it is missing) ...
const ROUTE: &str = "            ThreadRename => thread_rename,\n";

/// ... and the handler, after the `thread/archive` one.
const HANDLER_FN: &str = r#"    pub(super) async fn thread_rename(
        &self,
        params: v2::ThreadRenameParams,
        _ctx: &ServerContext,
    ) -> Result<v2::ThreadRenameResponse, JsonRpcError> {
        let _renamed = params.name;
        Ok(v2::ThreadRenameResponse::new())
    }

"#;

/// Makes steps 1 to 4 in the copy at `root`; with `handler`, step 5 too.
pub fn add_method(root: &Path, handler: bool) -> Result<(), String> {
    append(root, "protocol/src/v2/thread.rs", TYPES)?;
    insert_before_next(
        root,
        "protocol/src/methods.rs",
        "ThreadArchive => \"thread/archive\" {",
        "        /// ",
        ROW,
    )?;
    let fixture = root.join("fixtures/v2/thread/rename/basic.jsonl");
    fs::create_dir_all(fixture.parent().unwrap_or(root))
        .and_then(|()| fs::write(&fixture, FIXTURE))
        .map_err(|error| format!("{}: {error}", fixture.display()))?;
    insert_after(root, "CHANGELOG.md", "### Added\n", CHANGELOG_LINE)?;
    if handler {
        insert_after(
            root,
            "kit/src/mock/handler/mod.rs",
            "            ThreadArchive => thread_archive,\n",
            ROUTE,
        )?;
        insert_before_next(
            root,
            "kit/src/mock/handler/v2.rs",
            "async fn thread_archive(",
            "    pub(super) async fn ",
            HANDLER_FN,
        )?;
    }
    Ok(())
}

fn read(root: &Path, file: &str) -> Result<String, String> {
    fs::read_to_string(root.join(file)).map_err(|error| format!("{file}: {error}"))
}

fn write(root: &Path, file: &str, text: &str) -> Result<(), String> {
    fs::write(root.join(file), text).map_err(|error| format!("{file}: {error}"))
}

fn append(root: &Path, file: &str, addition: &str) -> Result<(), String> {
    let text = read(root, file)?;
    write(root, file, &format!("{text}{addition}"))
}

/// Inserts `addition` right after the first `anchor`.
fn insert_after(root: &Path, file: &str, anchor: &str, addition: &str) -> Result<(), String> {
    let text = read(root, file)?;
    let at = text.find(anchor).ok_or_else(|| missing(file, anchor))? + anchor.len();
    write(root, file, &format!("{}{addition}{}", &text[..at], &text[at..]))
}

/// Inserts `addition` at the start of the line holding the first `next` after `anchor`: the
/// item after the anchored one (a row after a row, a method after a method).
fn insert_before_next(
    root: &Path,
    file: &str,
    anchor: &str,
    next: &str,
    addition: &str,
) -> Result<(), String> {
    let text = read(root, file)?;
    let from = text.find(anchor).ok_or_else(|| missing(file, anchor))? + anchor.len();
    let at = text[from..].find(next).ok_or_else(|| missing(file, next))? + from;
    write(root, file, &format!("{}{addition}{}", &text[..at], &text[at..]))
}

fn missing(file: &str, anchor: &str) -> String {
    format!("{file}: the walk's edit found no `{}`; update xtask/src/walk/steps.rs", anchor.trim())
}
