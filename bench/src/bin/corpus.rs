//! Prints the corpora's make-up and the side-by-side exclusions; with `--write DIR`, also
//! writes the generated lines to `DIR/server.jsonl` and `DIR/client.jsonl`.

use std::collections::BTreeMap;

use app_server_protocol_bench::{
    client_corpus, client_side_by_side, server_corpus, server_side_by_side,
};

fn mix(lines: &[app_server_protocol_bench::corpus::Line]) -> String {
    let mut by_method: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for line in lines {
        let entry = by_method.entry(line.method).or_default();
        entry.0 += 1;
        entry.1 += line.text.len();
    }
    let total: usize = lines.iter().map(|line| line.text.len()).sum();
    let mut rows: Vec<_> = by_method.into_iter().collect();
    rows.sort_by(|a, b| b.1.1.cmp(&a.1.1));
    let mut text = String::new();
    for (method, (count, bytes)) in rows {
        text.push_str(&format!(
            "  {count:>5} lines {:>5.1} % bytes  {method}\n",
            100.0 * bytes as f64 / total as f64
        ));
    }
    text
}

fn main() -> std::io::Result<()> {
    let server = server_corpus();
    let client = client_corpus();
    println!("server → client stream, by method:\n{}", mix(&server));
    println!("client → server mix, by method:\n{}", mix(&client));
    print!("{}", server_side_by_side(&server).report("server stream"));
    print!("{}", client_side_by_side(&client).report("client mix"));
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, dir] = args.as_slice() {
        if flag == "--write" {
            std::fs::create_dir_all(dir)?;
            for (name, lines) in [("server.jsonl", &server), ("client.jsonl", &client)] {
                let text: String = lines.iter().map(|line| format!("{}\n", line.text)).collect();
                std::fs::write(format!("{dir}/{name}"), text)?;
            }
        }
    }
    Ok(())
}
