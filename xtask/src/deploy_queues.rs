//! The Cloudflare Queues a deployment provisions: every queue `wrangler.toml` names (a
//! producer's `queue`, a consumer's `queue` and its `dead_letter_queue`) must exist on the
//! account before `wrangler deploy`, which refuses a configuration naming a missing one.
//!
//! They are made through wrangler, so that either of its logins works (`wrangler login` or
//! `CLOUDFLARE_API_TOKEN`). The Cloudflare API calls underneath:
//! - `wrangler queues list --page <n>`: `GET /accounts/{account_id}/queues?page=<n>`, a paged
//!   list whose items carry `queue_id` and `queue_name`;
//! - `wrangler queues create <name>`: `POST /accounts/{account_id}/queues` with
//!   `{"queue_name": "<name>"}`.
//!
//! `wrangler deploy` then attaches the producer bindings with the script upload and the consumers
//! through `POST /accounts/{account_id}/queues/{queue_id}/consumers` (a new consumer) or
//! `PUT /accounts/{account_id}/queues/{queue_id}/consumers/{consumer_id}` (an existing one).

/// A queue `wrangler.toml` names, with what names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queue {
    /// Its name on the account.
    pub name: String,
    /// What uses it, for the plan: `producer NOTIFY_QUEUE`, `consumed`, `dead-letter queue of
    /// waypost-notifications`.
    pub uses: Vec<String>,
}

impl Queue {
    /// Its key in the deployment state's ids.
    pub fn key(&self) -> String {
        format!("queue:{}", self.name)
    }
}

/// The queues of a parsed `wrangler.toml`, each once, in the order first named.
pub fn queues_of(table: &toml::Table) -> Result<Vec<Queue>, String> {
    let mut queues: Vec<Queue> = Vec::new();
    let mut add =
        |name: &str, usage: String| match queues.iter_mut().find(|queue| queue.name == name) {
            Some(queue) => queue.uses.push(usage),
            None => queues.push(Queue {
                name: name.to_owned(),
                uses: vec![usage],
            }),
        };
    let Some(section) = table.get("queues") else {
        return Ok(Vec::new());
    };
    let section = section
        .as_table()
        .ok_or("wrangler.toml: `queues` is not a table")?;
    for key in section.keys() {
        if key != "producers" && key != "consumers" {
            return Err(format!(
                "wrangler.toml: queues.{key} is not something `cargo xtask deploy` provisions"
            ));
        }
    }
    let entries = |key: &str| -> Vec<&toml::Table> {
        section
            .get(key)
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(toml::Value::as_table)
            .collect()
    };
    let name = |entry: &toml::Table, key: &str, of: &str| -> Result<Option<String>, String> {
        match entry.get(key) {
            None => Ok(None),
            Some(value) => value
                .as_str()
                .filter(|name| !name.is_empty())
                .map(|name| Some(name.to_owned()))
                .ok_or_else(|| format!("wrangler.toml: a queue {of} has a {key} that is no name")),
        }
    };
    for producer in entries("producers") {
        let queue = name(producer, "queue", "producer")?
            .ok_or("wrangler.toml: a queue producer lacks queue")?;
        let binding = name(producer, "binding", "producer")?
            .ok_or("wrangler.toml: a queue producer lacks binding")?;
        add(&queue, format!("producer {binding}"));
    }
    for consumer in entries("consumers") {
        let queue = name(consumer, "queue", "consumer")?
            .ok_or("wrangler.toml: a queue consumer lacks queue")?;
        add(&queue, "consumed by the Worker".to_owned());
        if let Some(dead_letter) = name(consumer, "dead_letter_queue", "consumer")? {
            add(&dead_letter, format!("dead-letter queue of {queue}"));
        }
    }
    Ok(queues)
}

/// The queues in the output of `wrangler queues list` (a table: a header row naming its columns,
/// `id` and `name` among them, then a row per queue), as (name, id).
pub fn parse_list(output: &str) -> Result<Vec<(String, String)>, String> {
    let mut rows = output
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with('│') || line.starts_with('|'))
        .map(|line| {
            let separator = if line.starts_with('│') { '│' } else { '|' };
            let cells: Vec<String> = line
                .split(separator)
                .map(|cell| cell.trim().to_owned())
                .collect();
            // The first and last pieces are outside the table's borders.
            cells[1..cells.len().saturating_sub(1).max(1)].to_vec()
        });
    // No queues: no table, or one without rows (which may have no columns either).
    let Some(header) = rows.next() else {
        return Ok(Vec::new());
    };
    let rows: Vec<Vec<String>> = rows.collect();
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let column = |name: &str| {
        header
            .iter()
            .position(|cell| cell == name)
            .ok_or_else(|| format!("wrangler queues list printed no {name} column: {output}"))
    };
    let (id_column, name_column) = (column("id")?, column("name")?);
    Ok(rows
        .into_iter()
        .filter_map(|row| Some((row.get(name_column)?.clone(), row.get(id_column)?.clone())))
        .filter(|(name, id)| !name.is_empty() && !id.is_empty())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_every_queue_once_with_its_dead_letter_queue() {
        let table: toml::Table = r#"
            [[queues.producers]]
            binding = "NOTIFY_QUEUE"
            queue = "notifications"

            [[queues.consumers]]
            queue = "notifications"
            dead_letter_queue = "notifications-dlq"

            [[queues.consumers]]
            queue = "other"
        "#
        .parse()
        .unwrap();
        let queues = queues_of(&table).unwrap();
        let names: Vec<&str> = queues.iter().map(|q| q.name.as_str()).collect();
        assert_eq!(names, ["notifications", "notifications-dlq", "other"]);
        assert_eq!(
            queues[0].uses,
            ["producer NOTIFY_QUEUE", "consumed by the Worker"]
        );
        assert_eq!(queues[1].uses, ["dead-letter queue of notifications"]);
        assert_eq!(queues[1].key(), "queue:notifications-dlq");
        assert!(queues_of(&toml::Table::new()).unwrap().is_empty());
        let unknown: toml::Table = "[queues]\nbatch = 1".parse().unwrap();
        assert!(queues_of(&unknown).is_err());
        let nameless: toml::Table = "[[queues.producers]]\nbinding = \"Q\"".parse().unwrap();
        assert!(queues_of(&nameless).unwrap_err().contains("lacks queue"));
    }

    #[test]
    fn reads_the_table_wrangler_prints() {
        let output = "\
┌──────────────────────────────────┬───────────────────────┬────────────┬─────────────┬───────────┬───────────┐
│ id                               │ name                  │ created_on │ modified_on │ producers │ consumers │
├──────────────────────────────────┼───────────────────────┼────────────┼─────────────┼───────────┼───────────┤
│ 0123456789abcdef0123456789abcdef │ waypost-notifications │ 2026-01-01 │ 2026-01-01  │ 1         │ 1         │
├──────────────────────────────────┼───────────────────────┼────────────┼─────────────┼───────────┼───────────┤
│ fedcba9876543210fedcba9876543210 │ other                 │ 2026-01-01 │ 2026-01-01  │ 0         │ 0         │
└──────────────────────────────────┴───────────────────────┴────────────┴─────────────┴───────────┴───────────┘";
        assert_eq!(
            parse_list(output).unwrap(),
            [
                (
                    "waypost-notifications".to_owned(),
                    "0123456789abcdef0123456789abcdef".to_owned()
                ),
                ("other".into(), "fedcba9876543210fedcba9876543210".into()),
            ]
        );
        assert!(parse_list("┌┐\n└┘").unwrap().is_empty());
        assert!(parse_list("┌┐\n││\n└┘").unwrap().is_empty());
        assert!(parse_list("").unwrap().is_empty());
        assert!(parse_list("│ x │ y │\n│ 1 │ 2 │").is_err());
    }
}
