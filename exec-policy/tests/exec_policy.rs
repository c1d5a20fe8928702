//! C8: prefix-rule exec policy, fallback, and the amendment offer.

use app_server_exec_policy::parse::{ParsedCommand, ScriptPart, parse_script};
use app_server_exec_policy::{
    Decision, Evaluation, PartEvaluation, Policy, PolicyError, PrefixRule,
};

use Decision::{Allow, Forbidden, Prompt};

fn policy() -> Policy {
    Policy::from_rules([
        PrefixRule::new(["apple"], Allow),
        PrefixRule::new(["ls"], Allow),
        PrefixRule::new(["cat"], Allow),
        PrefixRule::new(["cd"], Allow),
        PrefixRule::new(["echo"], Allow),
        PrefixRule::new(["grep"], Allow),
        PrefixRule::new(["wc"], Allow),
        PrefixRule::new(["git", "status"], Allow),
        PrefixRule::new(["git", "diff"], Allow),
        PrefixRule::new(["cargo", "test"], Allow),
        PrefixRule::new(["git", "push"], Prompt),
        PrefixRule::new(["git", "push", "--force"], Forbidden),
        PrefixRule::new(["rm", "-rf", "/"], Forbidden),
    ])
    .unwrap()
}

/// The caller's heuristics for commands without a rule.
fn fallback(argv: &[String]) -> Decision {
    match argv[0].as_str() {
        "pwd" | "whoami" => Allow,
        "shutdown" | "mkfs" => Forbidden,
        _ => Prompt, // rm, curl, xargs, tee, cargo build, … ask
    }
}

fn evaluate(script: &str) -> Evaluation {
    policy().evaluate_script(script, fallback)
}

fn words(argv: &[&str]) -> Vec<String> {
    argv.iter().map(|word| (*word).to_owned()).collect()
}

/// (command line, expected decision, expected amendment offer)
const TABLE: &[(&str, Decision, Option<&[&str]>)] = &[
    // Single commands.
    ("ls -la", Allow, None),
    ("apple", Allow, None),
    ("git  status", Allow, None),
    ("git \"status\"", Allow, None),
    ("g\\it status", Allow, None),
    ("ls -la ~/projects *.rs", Allow, None),
    ("pwd", Allow, Some(&["pwd"])),
    ("cargo build --release", Prompt, Some(&["cargo", "build", "--release"])),
    ("curl 'https://example.com/a b'", Prompt, Some(&["curl", "https://example.com/a b"])),
    ("git push origin main", Prompt, None),
    ("git push --force origin main", Forbidden, None),
    ("shutdown -h now", Forbidden, None),
    // Chains and pipelines: strictest part wins, never an offer.
    ("apple | rm -rf ./", Prompt, None),
    ("git status && git diff", Allow, None),
    ("cat README.md | grep foo | wc -l", Allow, None),
    ("git status; git push --force origin main", Forbidden, None),
    ("git status || git push --force", Forbidden, None),
    ("ls && rm -rf /", Forbidden, None),
    ("ls; shutdown now", Forbidden, None),
    ("ls | xargs rm", Prompt, None),
    ("ls |& grep x", Allow, None),
    ("ls &", Allow, None),
    ("ls & pwd", Allow, None),
    // Quoting: operators inside quotes are arguments.
    ("echo 'a && b; c | d'", Allow, None),
    ("echo \"rm -rf /\"", Allow, None),
    ("echo \"a \\\"quoted\\\" word\"", Allow, None),
    // Redirections.
    ("echo hi > out.txt", Prompt, None),
    ("git status > status.txt", Prompt, None),
    ("cat file | tee out.txt", Prompt, None),
    ("ls > /dev/null 2>&1", Allow, None),
    ("cat < input.txt", Allow, None),
    ("cat <<EOF\nhello\nEOF", Allow, None),
    ("cat <<EOF\n$HOME\nEOF", Prompt, None),
    ("echo hi > \"$OUT\"", Prompt, None),
    // Subshells and groups.
    ("(cd src && ls)", Allow, None),
    ("{ git status; ls; }", Allow, None),
    ("(cd src && rm -rf /) | cat", Forbidden, None),
    ("! grep -q foo file", Allow, None),
    // Shell wrappers: the inner script is what runs.
    ("bash -lc \"git status && ls\"", Allow, None),
    ("bash -lc 'apple | rm -rf ./'", Prompt, None),
    ("sh -c \"git push --force\"", Forbidden, None),
    ("bash -lc \"bash -lc 'ls'\"", Allow, None),
    ("/bin/bash -c 'ls'", Allow, None),
    ("bash -lc 'cargo build'", Prompt, Some(&["cargo", "build"])),
    ("bash -lc \"echo hi\" > out.txt", Prompt, None),
    ("bash -lc 'echo $HOME'", Prompt, None),
    // What cannot be read statically asks; a forbidden command hidden inside still forbids.
    ("echo $HOME", Prompt, None),
    ("echo `whoami`", Prompt, None),
    ("echo $(rm -rf /)", Forbidden, None),
    ("diff <(ls a) <(ls b)", Prompt, None),
    ("FOO=bar ls", Prompt, None),
    ("if true; then ls; fi", Prompt, None),
    ("for f in *; do rm $f; done", Prompt, None),
    ("while true; do git push --force; done", Forbidden, None),
    ("r\\\nm -rf /", Prompt, None),
    ("{rm,-rf,/}", Prompt, None),
    ("echo {a,b} x\\{y,z\\}", Prompt, None),
    ("ls 2>&1 >&2 <&-", Allow, None),
    ("cat <<< 'hi'", Allow, None),
    // Syntax it cannot parse, and nothing to run: ask.
    ("ls 'unterminated", Prompt, None),
    ("git status &&", Prompt, None),
    ("ls ||| wc", Prompt, None),
    ("", Prompt, None),
    ("# just a comment", Prompt, None),
];

#[test]
fn command_table() {
    assert!(TABLE.len() >= 30);
    let mut failures = Vec::new();
    for (script, decision, amendment) in TABLE {
        let evaluation = evaluate(script);
        let expected_amendment = amendment.map(words);
        if evaluation.decision != *decision || evaluation.proposed_amendment != expected_amendment {
            failures.push(format!(
                "{script:?}: expected {decision:?} / {expected_amendment:?}, got {:?} / {:?}\n  parts: {:?}",
                evaluation.decision, evaluation.proposed_amendment, evaluation.parts
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_pipeline_example_asks_because_of_the_fallback() {
    let evaluation = evaluate("apple | rm -rf ./");
    assert_eq!(
        evaluation.parts,
        vec![
            PartEvaluation::Command {
                argv: words(&["apple"]),
                decision: Allow,
                matched_rule: Some(PrefixRule::new(["apple"], Allow)),
                writes_files: false,
            },
            PartEvaluation::Command {
                argv: words(&["rm", "-rf", "./"]),
                decision: Prompt,
                matched_rule: None,
                writes_files: false,
            },
        ]
    );
    assert_eq!(evaluation.decision, Prompt);
    // A fallback that let everything through would not ask: the rule alone does not decide.
    assert_eq!(policy().evaluate_script("apple | rm -rf ./", |_| Allow).decision, Allow);
}

#[test]
fn argv_commands() {
    let policy = policy();
    let argv = |words_: &[&str]| words(words_);
    let evaluation = policy.evaluate_argv(&argv(&["bash", "-lc", "git status && ls"]), fallback);
    assert_eq!(evaluation.decision, Allow);
    assert_eq!(evaluation.parts.len(), 2);
    // Not a wrapper: one command, its words as given (no shell parsing).
    let evaluation = policy.evaluate_argv(&argv(&["rm", "-rf", "a && b"]), fallback);
    assert_eq!(evaluation.decision, Prompt);
    assert_eq!(evaluation.proposed_amendment, Some(argv(&["rm", "-rf", "a && b"])));
    assert_eq!(policy.evaluate_argv(&argv(&["git", "status"]), fallback).decision, Allow);
    assert_eq!(policy.evaluate_argv(&[], fallback).decision, Prompt);
}

#[test]
fn accepted_amendments_allow_from_now_on() {
    let mut policy = policy();
    let evaluation = policy.evaluate_script("cargo build --release", fallback);
    let prefix = evaluation.proposed_amendment.unwrap();
    policy.add_amendment(prefix).unwrap();
    let evaluation = policy.evaluate_script("cargo build --release", fallback);
    assert_eq!(evaluation.decision, Allow);
    assert_eq!(evaluation.proposed_amendment, None);
    assert_eq!(policy.add_amendment(vec![]), Err(PolicyError::EmptyPrefix));
    assert_eq!(
        Policy::from_rules([PrefixRule::new(Vec::<String>::new(), Allow)]),
        Err(PolicyError::EmptyPrefix)
    );
}

#[test]
fn rule_matching() {
    let policy = policy();
    let rule = |argv: &[&str]| policy.matching_rule(&words(argv)).map(|rule| rule.decision);
    assert_eq!(rule(&["git", "push", "--force", "origin"]), Some(Forbidden));
    assert_eq!(rule(&["git", "push", "origin"]), Some(Prompt));
    assert_eq!(rule(&["git"]), None);
    assert_eq!(rule(&["gitx", "status"]), None);
    assert!(Allow < Prompt && Prompt < Forbidden);
    assert_eq!(Allow.strictest(Forbidden), Forbidden);
}

#[test]
fn parser_removes_quotes_and_escapes() {
    let parts = parse_script(r#"echo foo\ bar "a\"b" 'c\d' a"b"c "x\$y" 42 -1"#).unwrap();
    assert_eq!(
        parts,
        vec![ScriptPart::Command(ParsedCommand {
            argv: words(&["echo", "foo bar", "a\"b", "c\\d", "abc", "x$y", "42", "-1"]),
            writes_files: false,
        })]
    );
    let parts = parse_script("a && b || c; d | e & f\ng").unwrap();
    let names: Vec<String> = parts
        .iter()
        .map(|part| match part {
            ScriptPart::Command(command) => command.argv.join(" "),
            ScriptPart::Opaque { text, .. } => format!("?{text}"),
        })
        .collect();
    assert_eq!(names, vec!["a", "b", "c", "d", "e", "f", "g"]);
    // Escaped braces are literal; unescaped ones expand, so the command is not readable.
    assert_eq!(
        parse_script(r"echo x\{y,z\}").unwrap(),
        vec![ScriptPart::Command(ParsedCommand {
            argv: words(&["echo", "x{y,z}"]),
            writes_files: false
        })]
    );
    for script in ["{rm,-rf,/}", "echo {a,b}", "echo x{1..3}", "echo {\"a\",b}"] {
        let parts = parse_script(script);
        assert!(!matches!(parts.as_deref(), Ok([ScriptPart::Command(_)])), "{script:?}: {parts:?}");
    }
    assert_eq!(
        parse_script(r#"find . -exec rm {} \; "{"a,b}"#).unwrap(),
        vec![ScriptPart::Command(ParsedCommand {
            argv: words(&["find", ".", "-exec", "rm", "{}", ";", "{a,b}"]),
            writes_files: false
        })]
    );
    assert!(parse_script("echo 'open").is_err());
    let err = parse_script("ls &&").unwrap_err();
    assert!(err.to_string().contains("syntax error"));
}
