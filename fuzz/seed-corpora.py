#!/usr/bin/env python3
"""Seeds the fuzz corpora from fixtures/: adds to fuzz/corpus/<target>/ (git-ignored; files are
named by their SHA-1, so seeding again adds nothing twice and keeps what the fuzzer found) and
writes fuzz/corpus/protocol.dict. Run from anywhere; it finds the repository from its own path.

- decode_client / decode_server: the `message` of every fixture line the client / the server
  sent, and every `line` of fixtures/invalid for that side. A line that answers a request is
  prefixed by the request's method and a newline (the target registers it as pending).
- transcript: each fixture file as a transcript (its `{"from", "message"}` lines), the same
  with `>`/`<` marks, and the committed session transcript in chunks of 25 lines.
- fixture_roundtrip: two bytes per fixture message (its index), so that every fixture is a
  starting point; the mutations come from the fuzzer.
- protocol.dict: every member name and short string of the fixtures, as a libFuzzer dictionary.
"""
import hashlib
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CORPUS = ROOT / "fuzz" / "corpus"


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def main():
    strings = set()
    files = sorted(p for g in ("v1", "v2") for p in (FIXTURES / g).rglob("*.jsonl"))
    index = 0
    for path in files:
        entries = [json.loads(l) for l in path.read_text().splitlines() if l.strip()]
        requested = None
        marked = []
        for entry in entries:
            message = entry["message"]
            side = "decode_client" if entry["from"] == "client" else "decode_server"
            answers = requested if "method" not in message else None
            if "id" in message and "method" in message:
                requested = message["method"]
            write(side, (answers or "") + "\n" + compact(message))
            write("fixture_roundtrip", bytes([index & 0xFF, index >> 8]))
            index += 1
            marked.append((">" if entry["from"] == "client" else "<") + " " + compact(message))
            collect(message, strings)
        write("transcript", "\n".join(compact({"from": e["from"], "message": e["message"]}) for e in entries) + "\n")
        write("transcript", "\n".join(marked) + "\n")
    for path in sorted((FIXTURES / "invalid").glob("*.jsonl")):
        for l in path.read_text().splitlines():
            if l.strip():
                entry = json.loads(l)
                write("decode_client" if entry["from"] == "client" else "decode_server", entry["line"])
    session = (FIXTURES / "transcripts" / "v2-session.jsonl").read_text().splitlines()
    for start in range(0, len(session), 25):
        write("transcript", "\n".join(session[start:start + 25]) + "\n")
    tokens = sorted(s for s in strings if 0 < len(s) <= 40 and s.isprintable())
    with open(CORPUS / "protocol.dict", "w") as dict_file:
        for token in tokens:
            dict_file.write(json.dumps(json.dumps(token)) + "\n")
        for token in ['"{"', '"}"', '"["', '"]"', '":"', '","', '"null"', '"true"', '"-0"', '"1e400"',
                      '"18446744073709551616"', '"\\\\u0000"', '"\\xef\\xbb\\xbf"']:
            dict_file.write(token + "\n")
    for target in sorted(p.name for p in CORPUS.iterdir() if p.is_dir()):
        print(f"{target}: {sum(1 for _ in (CORPUS / target).iterdir())} seeds")
    print(f"protocol.dict: {len(tokens)} tokens")


def collect(value, out):
    if isinstance(value, dict):
        for key, item in value.items():
            out.add(key)
            collect(item, out)
    elif isinstance(value, list):
        for item in value:
            collect(item, out)
    elif isinstance(value, str) and len(value) <= 40:
        out.add(value)


if __name__ == "__main__":
    main()
