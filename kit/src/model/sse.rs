//! The Responses API stream: which Server-Sent Events an [`Answer`](super::Answer) becomes,
//! in order, with the pause before each.
//!
//! Every event is a block `event: <type>\ndata: <json>\n\n` whose JSON carries the same
//! `type`. An answer streams `response.created`; then, for each part it has, in this order:
//!
//! - reasoning: `response.output_item.added` (a `reasoning` item, empty `summary`),
//!   `response.reasoning_summary_part.added`, one `response.reasoning_summary_text.delta`
//!   per delta, `response.output_item.done` (the item with its whole `summary_text`);
//! - text: `response.output_item.added` (an assistant `message`, empty `content`), one
//!   `response.output_text.delta` per delta, `response.output_item.done` (the message with
//!   its whole `output_text`);
//! - a tool call: `response.output_item.added` and `response.output_item.done` of a
//!   `function_call` item (`arguments` a JSON string);
//!
//! and ends with `response.completed` (with `usage`), unless the answer asks to disconnect
//! before it.

use std::time::Duration;

use serde_json::{Value, json};

use super::script::{StreamAnswer, ToolCall};

/// One event of a stream, and the pause before it is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The pause before the event.
    pub delay: Duration,
    /// The event type (`response.created`, …), also the `type` of its data.
    pub kind: &'static str,
    /// Its data.
    pub data: Value,
}

impl Event {
    fn new(kind: &'static str, mut data: Value) -> Self {
        if let Value::Object(object) = &mut data {
            object.insert("type".to_owned(), Value::String(kind.to_owned()));
        }
        Event { delay: Duration::ZERO, kind, data }
    }

    fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// The event as it is written on the wire.
    pub fn encode(&self) -> String {
        format!("event: {}\ndata: {}\n\n", self.kind, self.data)
    }
}

/// The events of one streamed answer; `serial` makes its ids unique within the server
/// (`resp_7`, `rs_7`, `msg_7`, `fc_7`, `call_7`).
pub fn events(answer: &StreamAnswer, serial: u64) -> Vec<Event> {
    let response_id = format!("resp_{serial}");
    let pause = answer.delta_delay;
    let mut events =
        vec![Event::new("response.created", json!({ "response": { "id": response_id } }))];
    if let Some(deltas) = &answer.reasoning {
        let id = format!("rs_{serial}");
        let item = |summary: Value| json!({ "type": "reasoning", "id": id, "summary": summary });
        events.push(Event::new("response.output_item.added", json!({ "item": item(json!([])) })));
        events.push(Event::new(
            "response.reasoning_summary_part.added",
            json!({ "item_id": id, "summary_index": 0 }),
        ));
        for (index, delta) in deltas.iter().enumerate() {
            let event = Event::new(
                "response.reasoning_summary_text.delta",
                json!({ "item_id": id, "summary_index": 0, "delta": delta }),
            );
            events.push(if index == 0 { event } else { event.after(pause) });
        }
        let summary = json!([{ "type": "summary_text", "text": deltas.concat() }]);
        events.push(Event::new("response.output_item.done", json!({ "item": item(summary) })));
    }
    if let Some(deltas) = &answer.text {
        let id = format!("msg_{serial}");
        let item = |content: Value| json!({ "type": "message", "role": "assistant", "id": id, "content": content });
        events.push(Event::new("response.output_item.added", json!({ "item": item(json!([])) })));
        for (index, delta) in deltas.iter().enumerate() {
            let event =
                Event::new("response.output_text.delta", json!({ "item_id": id, "delta": delta }));
            // The first text delta waits too when reasoning came before it.
            let waits = index > 0 || answer.reasoning.is_some();
            events.push(if waits { event.after(pause) } else { event });
        }
        let content = json!([{ "type": "output_text", "text": deltas.concat() }]);
        events.push(Event::new("response.output_item.done", json!({ "item": item(content) })));
    }
    if let Some(call) = &answer.call {
        let item = call_item(call, serial);
        let waits = answer.reasoning.is_some() || answer.text.is_some();
        let added = Event::new("response.output_item.added", json!({ "item": item }));
        events.push(if waits { added.after(pause) } else { added });
        events.push(Event::new("response.output_item.done", json!({ "item": item })));
    }
    if !answer.disconnect {
        let output_tokens = answer.text.iter().chain(&answer.reasoning).flatten().count() as u64
            + u64::from(answer.call.is_some()) * 20;
        let reasoning_tokens = answer.reasoning.as_ref().map_or(0, Vec::len) as u64;
        events.push(Event::new(
            "response.completed",
            json!({ "response": { "id": response_id, "usage": {
                "input_tokens": 100,
                "input_tokens_details": { "cached_tokens": 0 },
                "output_tokens": output_tokens,
                "output_tokens_details": { "reasoning_tokens": reasoning_tokens },
                "total_tokens": 100 + output_tokens,
            } } }),
        ));
    }
    events
}

/// The `function_call` item of a tool call.
fn call_item(call: &ToolCall, serial: u64) -> Value {
    let call_id = call.call_id.clone().unwrap_or_else(|| format!("call_{serial}"));
    json!({
        "type": "function_call",
        "id": format!("fc_{serial}"),
        "call_id": call_id,
        "name": call.name,
        "arguments": call.arguments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_answer_streams_in_order_and_each_event_names_its_type() {
        let answer = StreamAnswer {
            reasoning: Some(vec!["Look".into(), "ing".into()]),
            text: Some(vec!["Hel".into(), "lo".into()]),
            delta_delay: Duration::from_millis(5),
            ..StreamAnswer::default()
        };
        let events = events(&answer, 3);
        let kinds: Vec<_> = events.iter().map(|event| event.kind).collect();
        assert_eq!(
            kinds,
            [
                "response.created",
                "response.output_item.added",
                "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.delta",
                "response.output_item.done",
                "response.output_item.added",
                "response.output_text.delta",
                "response.output_text.delta",
                "response.output_item.done",
                "response.completed",
            ]
        );
        for event in &events {
            assert_eq!(event.data["type"], event.kind);
            assert!(event.encode().ends_with("\n\n"));
        }
        assert_eq!(events[5].data["item"]["summary"][0]["text"], "Looking");
        assert_eq!(events[9].data["item"]["content"][0]["text"], "Hello");
        assert_eq!(events[0].delay, Duration::ZERO);
        assert_eq!(events[4].delay, Duration::from_millis(5));
    }
}
