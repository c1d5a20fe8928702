//! Reads the object types of a TypeScript declaration as ts-rs writes it: every `{ … }` literal
//! of the `export type` with its members, where each member's name ends (so that a `?` can be
//! put or taken there) and, for a member typed by a string literal (a tag), that literal.
//!
//! The grammar is the small subset ts-rs emits: object literals whose members are
//! `name: Type` or `"quoted name": Type`, optionally `?`-marked, separated by commas and
//! preceded by doc comments; index signatures and mapped types (`[key in string]: T`), which
//! are not members; and type expressions made of names, string literals, `|`, `&`, and
//! brackets (`Array<T>`, `(A | B)`, `[A, B]`).

/// One member of an object type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TsMember {
    /// The member's name, unquoted.
    pub name: String,
    /// Whether it is marked `?`.
    pub optional: bool,
    /// The byte offset just after the name (after its closing quote): where `?` is or goes.
    pub name_end: usize,
    /// The string literal of a member typed by one (`"type": "exec"` → `exec`).
    pub literal: Option<String>,
}

/// One object literal type (`{ … }`) of a declaration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TsObject {
    /// Its members, in order; index signatures are left out.
    pub members: Vec<TsMember>,
}

/// An object being read, and the member whose type is being read in it.
struct Frame {
    object: usize,
    /// Reading a member's name (or the closing brace), not a type.
    expecting_name: bool,
    /// Brackets open in the current member's type: `(`, `[`, `<`.
    depth: usize,
    /// The member whose type is read, with where its type starts; `None` for an index
    /// signature.
    member: Option<(TsMember, usize)>,
}

/// The state of one pass over a declaration: the objects found so far and the ones open.
struct Scanner<'a> {
    text: &'a str,
    objects: Vec<TsObject>,
    stack: Vec<Frame>,
}

/// The object types of the `export type` declaration in `text` (imports and comments before
/// it are skipped), in the order their `{` appears.
pub fn objects(text: &str) -> Result<Vec<TsObject>, String> {
    let start = text.find("export type ").ok_or("no `export type` declaration")?;
    let mut scanner = Scanner { text, objects: Vec::new(), stack: Vec::new() };
    let mut i = start;
    while i < text.len() {
        match scanner.step(i)? {
            Some(next) => i = next,
            None => break,
        }
    }
    if !scanner.stack.is_empty() {
        return Err("unbalanced `{`".to_owned());
    }
    Ok(scanner.objects)
}

impl Scanner<'_> {
    /// Reads what starts at `i`; returns where to go on, `None` at the declaration's end.
    fn step(&mut self, i: usize) -> Result<Option<usize>, String> {
        let (text, c) = (self.text, self.text.as_bytes()[i]);
        if text[i..].starts_with("/*") {
            return Ok(Some(text[i..].find("*/").map_or(text.len(), |end| i + end + 2)));
        }
        if text[i..].starts_with("//") {
            return Ok(Some(text[i..].find('\n').map_or(text.len(), |end| i + end)));
        }
        let naming = self.stack.last().is_some_and(|f| f.expecting_name);
        if naming && (c == b'"' || c == b'_' || c == b'$' || c.is_ascii_alphabetic()) {
            let (member, next) = member_name(text, i)?;
            let frame = self.stack.last_mut().expect("naming in a frame");
            frame.member = Some((member, next));
            frame.expecting_name = false;
            return Ok(Some(next));
        }
        let in_type = self.stack.last().is_some_and(|f| !f.expecting_name && f.depth == 0);
        match c {
            b'"' => return string_end(text, i).map(Some),
            b'{' => {
                self.objects.push(TsObject::default());
                let object = self.objects.len() - 1;
                self.stack.push(Frame { object, expecting_name: true, depth: 0, member: None });
            }
            b'[' if naming => {
                // An index signature or mapped type: not a member.
                let frame = self.stack.last_mut().expect("naming in a frame");
                (frame.expecting_name, frame.member, frame.depth) = (false, None, 1);
            }
            b'(' | b'[' | b'<' => self.stack.last_mut().into_iter().for_each(|f| f.depth += 1),
            b')' | b']' | b'>' => {
                let frame = self.stack.last_mut();
                frame.into_iter().for_each(|f| f.depth = f.depth.saturating_sub(1));
            }
            b',' if in_type => {
                let mut frame = self.stack.pop().expect("checked");
                end_member(text, i, &mut frame, &mut self.objects);
                frame.expecting_name = true;
                self.stack.push(frame);
            }
            b'}' => {
                let mut frame = self.stack.pop().ok_or("unbalanced `}`")?;
                if !frame.expecting_name {
                    end_member(text, i, &mut frame, &mut self.objects);
                }
            }
            b';' if self.stack.is_empty() => return Ok(None),
            _ => {}
        }
        Ok(Some(i + 1))
    }
}

/// Reads a member name at `at` up to its `:`; returns the member and where its type starts.
fn member_name(text: &str, at: usize) -> Result<(TsMember, usize), String> {
    let bytes = text.as_bytes();
    let (name, mut i) = if bytes[at] == b'"' {
        let end = string_end(text, at)?;
        let name: String = serde_json::from_str(&text[at..end])
            .map_err(|err| format!("member name {}: {err}", &text[at..end]))?;
        (name, end)
    } else {
        let len = text[at..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
            .unwrap_or(text.len() - at);
        (text[at..at + len].to_owned(), at + len)
    };
    let name_end = i;
    let optional = bytes.get(i) == Some(&b'?');
    if optional {
        i += 1;
    }
    if bytes.get(i) != Some(&b':') {
        return Err(format!("member `{name}` is not followed by `:`"));
    }
    Ok((TsMember { name, optional, name_end, literal: None }, i + 1))
}

/// The offset just after the string literal that starts at `at`.
fn string_end(text: &str, at: usize) -> Result<usize, String> {
    let bytes = text.as_bytes();
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Ok(i + 1),
            _ => i += 1,
        }
    }
    Err("unterminated string".to_owned())
}

/// Ends the member whose type ends at `end`: records it, with its literal if its whole type is
/// one string literal.
fn end_member(text: &str, end: usize, frame: &mut Frame, objects: &mut [TsObject]) {
    if let Some((mut member, type_start)) = frame.member.take() {
        let ty = text[type_start..end].trim();
        if ty.starts_with('"') && string_end(ty, 0) == Ok(ty.len()) {
            member.literal = serde_json::from_str::<String>(ty).ok();
        }
        objects[frame.object].members.push(member);
    }
    frame.depth = 0;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(objects: &[TsObject]) -> Vec<Vec<String>> {
        objects
            .iter()
            .map(|o| {
                o.members
                    .iter()
                    .map(|m| {
                        let mark = if m.optional { "?" } else { "" };
                        match &m.literal {
                            Some(literal) => format!("{}{mark}={literal}", m.name),
                            None => format!("{}{mark}", m.name),
                        }
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn reads_structs_unions_nested_objects_and_skips_index_signatures() {
        let text = "import type { A } from \"./A.js\";\n\n/**\n * Doc with { braces } and \"quotes\".\n */\nexport type X = { \"type\": \"a\", \n/**\n * b's doc, with a comma, and a } brace.\n */\nb?: Array<{ [key in string]: A }> | null, \n\"quoted key\": { inner: string, }, } | { \"type\": \"c\" } & A | { \"d\": { e: [string, number], } };\n";
        let objects = objects(text).unwrap();
        assert_eq!(
            names(&objects),
            vec![
                vec!["type=a".to_owned(), "b?".to_owned(), "quoted key".to_owned()],
                vec![],
                vec!["inner".to_owned()],
                vec!["type=c".to_owned()],
                vec!["d".to_owned()],
                vec!["e".to_owned()],
            ]
        );
        let b = &objects[0].members[1];
        assert_eq!(&text[b.name_end..b.name_end + 2], "?:");
        let quoted = &objects[0].members[2];
        assert_eq!(&text[quoted.name_end - 1..quoted.name_end + 1], "\":");
    }
}
