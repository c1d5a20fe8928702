#![cfg(feature = "exec-policy")]
#[test]
fn probe() {
    let mut p = tree_sitter::Parser::new();
    p.set_language(&tree_sitter_bash::LANGUAGE.into()).unwrap();
    for s in [
        "git add . && git commit -m 'msg here' || echo \"fail $x\"; ls | wc -l",
        "echo hi > out.txt 2>&1",
        "(cd foo && make) | tee log",
        "{ echo a; echo b; }",
        "FOO=bar cmd arg",
        "echo $(rm -rf /)",
        "echo foo\\ bar \"a\\\"b\" 'c\\d' a\"b\"c",
        "if true; then ls; fi",
        "echo 'unterminated",
        "sleep 1 & ls",
        "! grep x y",
        "cat <<EOF\nhi\nEOF",
        "bash -lc \"git status\"",
        "ls *.rs ~/x",
        "cat < in.txt >> out.txt",
        "echo $'a\\nb'",
        "echo \"${HOME}\"",
        "a |& b",
        "cmd 2>/dev/null",
        "ls &&",
        "echo `date`",
        "# only comment",
        "echo a\\\nb",
        "x=1",
        "[[ -f x ]]",
        "echo 42 -1",
        "diff <(ls a) <(ls b)",
    ] {
        let t = p.parse(s, None).unwrap();
        println!("{s:?}\n  {}", t.root_node().to_sexp());
    }
}
