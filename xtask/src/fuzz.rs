//! `cargo xtask fuzz`: schemathesis against the local Worker's `/v1/openapi.json`, once per
//! credential: the public operations with a publishable key, the private ones with a secret key,
//! the admin ones with the admin token. Each run is bounded in time. Fails on any server error
//! and on any response that does not match its documented schema (or status, or content type).
//! Not part of `cargo xtask test`: it takes minutes and draws new inputs every time.

use std::path::{Path, PathBuf};

use serde_json::Value;
use waypost_tests::server::free_port;
use waypost_tests::{EdgeServer, Mode, demo};

use crate::edge;
use crate::run::{Step, workspace_root};

/// The schemathesis release the command installs (it installs on Python 3.11 and later).
const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// What every response is held to; a finding of any of these fails the command.
const CHECKS: &str = "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance";
/// Seconds each run may take: schemathesis keeps drawing new inputs until they are spent.
const SECONDS_PER_RUN: &str = "60";

/// One schemathesis run: the operations one credential opens.
struct Run {
    /// What the summary calls it.
    name: &'static str,
    /// The security schemes of its operations (an operation with none counts as public).
    schemes: &'static [&'static str],
    /// The bearer token sent with every request.
    token: String,
}

/// What one run did, read from its JSON report.
struct Outcome {
    name: &'static str,
    operations: u64,
    test_cases: u64,
    /// `ST... title: count (operations)`, one per kind of failure.
    failures: Vec<String>,
    /// Errors that kept schemathesis from testing, by title.
    errors: Vec<String>,
}

/// Builds the Worker, starts it with a fresh local D1, seeds the demo shop, and runs schemathesis.
pub fn fuzz() -> Result<(), String> {
    let schemathesis = ensure_schemathesis()?;
    edge::build_worker()?;
    let state = std::env::temp_dir().join(format!("waypost-fuzz-{}", std::process::id()));
    println!("\n==> starting the Worker (rate limits raised out of the way)");
    let server = EdgeServer::start(free_port()?, state, Mode::Bench, &[])?;
    println!("\n==> seeding the demo shop (its parcels and orders are the document's examples)");
    let shop = demo::seed(&server.client(), &server.admin_token, &[])?.shop;
    let document = server.client().get("/v1/openapi.json").send()?.json();
    let runs = [
        Run {
            name: "public operations, publishable key",
            schemes: &["publishable", "publishable_bearer"],
            token: shop.publishable_key,
        },
        Run {
            name: "private operations, secret key",
            schemes: &["secret"],
            token: shop.secret_key,
        },
        Run {
            name: "admin operations, admin token",
            schemes: &["admin"],
            token: server.admin_token.clone(),
        },
    ];
    let reports = workspace_root().join(".waypost/fuzz-report");
    let mut outcomes = Vec::new();
    for (index, run) in runs.iter().enumerate() {
        let report = reports.join(format!("run-{}", index + 1));
        let _ = std::fs::remove_dir_all(&report);
        outcomes.push(fuzz_run(&schemathesis, &server, &document, run, &report)?);
    }
    drop(server);
    summarize(&outcomes)
}

/// A virtual environment in `.waypost/fuzz-venv` with schemathesis at [`SCHEMATHESIS_VERSION`];
/// answers the path of its `schemathesis` program.
fn ensure_schemathesis() -> Result<PathBuf, String> {
    let venv = workspace_root().join(".waypost/fuzz-venv");
    let program = venv.join("bin/schemathesis");
    let installed = Step::new(
        "schemathesis --version",
        &program.to_string_lossy(),
        &["--version"],
    )
    .output();
    if installed.is_ok_and(|text| text.contains(SCHEMATHESIS_VERSION)) {
        return Ok(program);
    }
    if !venv.join("bin/python").exists() {
        Step::new(
            "creating the fuzzing virtual environment (python3 -m venv .waypost/fuzz-venv)",
            "python3",
            &["-m", "venv", &venv.to_string_lossy()],
        )
        .run()?;
    }
    Step::new(
        &format!("installing schemathesis {SCHEMATHESIS_VERSION} into it (pip, once)"),
        &venv.join("bin/pip").to_string_lossy(),
        &[
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
        ],
    )
    .run()?;
    Ok(program)
}

/// The operations (`GET /v1/track/{number}`) whose security is one of `schemes`; with
/// `publishable` among them, also those that need no credentials.
fn operations(document: &Value, schemes: &[&str]) -> Vec<String> {
    let mut names = Vec::new();
    let Some(paths) = document["paths"].as_object() else {
        return names;
    };
    for (path, methods) in paths {
        let Some(methods) = methods.as_object() else {
            continue;
        };
        for (method, operation) in methods {
            let security: Vec<&str> = operation["security"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_object)
                .flat_map(|requirement| requirement.keys().map(String::as_str))
                .collect();
            let selected = if security.is_empty() {
                schemes.contains(&"publishable")
            } else {
                security.iter().any(|scheme| schemes.contains(scheme))
            };
            if selected {
                names.push(format!("{} {path}", method.to_ascii_uppercase()));
            }
        }
    }
    names
}

/// Runs schemathesis once over the run's operations, then reads its JSON report.
fn fuzz_run(
    schemathesis: &Path,
    server: &EdgeServer,
    document: &Value,
    run: &Run,
    report: &Path,
) -> Result<Outcome, String> {
    let schema_url = format!("{}/v1/openapi.json", server.base_url);
    let authorization = format!("Authorization: Bearer {}", run.token);
    let examples = workspace_root().join(".waypost/fuzz-examples");
    let (report_dir, examples) = (report.to_string_lossy(), examples.to_string_lossy());
    let mut args = vec![
        "run",
        &schema_url,
        "--checks",
        CHECKS,
        "--max-time",
        SECONDS_PER_RUN,
        // One worker: hypothesis parsing sources in two threads at once can fail inside CPython
        // 3.11 ("AST constructor recursion depth mismatch").
        "--workers",
        "1",
        "--header",
        &authorization,
        // The key travels in the header only; a generated `?key=` would take its place.
        "--generation-with-security-parameters",
        "false",
        // Failing inputs are kept and tried first next time.
        "--generation-database",
        &examples,
        "--report",
        "json",
        "--report-dir",
        &report_dir,
        "--no-color",
    ];
    let names = operations(document, run.schemes);
    if names.is_empty() {
        return Err(format!(
            "the document has no operations for {}",
            run.schemes.join(", ")
        ));
    }
    for name in &names {
        args.extend(["--include-name", name.as_str()]);
    }
    std::fs::create_dir_all(report).map_err(|e| format!("{}: {e}", report.display()))?;
    // The exit status says only whether something failed; the report says what.
    let _ = Step::new(
        &format!(
            "schemathesis {SCHEMATHESIS_VERSION}: {} ({} operations, {SECONDS_PER_RUN} s)",
            run.name,
            names.len()
        ),
        &schemathesis.to_string_lossy(),
        &args,
    )
    .dir(report)
    .run();
    read_report(run.name, report)
}

/// Reads the JSON report schemathesis wrote into `dir`.
fn read_report(name: &'static str, dir: &Path) -> Result<Outcome, String> {
    let file = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .find(|path| path.extension().is_some_and(|ext| ext == "json"))
        .ok_or_else(|| {
            format!(
                "schemathesis wrote no report for {name} into {}",
                dir.display()
            )
        })?;
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let report: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    let count = |value: &Value| value.as_u64().unwrap_or_default();
    let failures = report["failures"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|failure| {
            let operations: Vec<&str> = failure["operations"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            format!(
                "{} {}: {} ({})",
                failure["code"].as_str().unwrap_or("?"),
                failure["title"].as_str().unwrap_or("?"),
                count(&failure["count"]),
                operations.join(", ")
            )
        })
        .collect();
    let errors = report["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|error| {
            format!(
                "error: {} ({} times; details in the output above)",
                error["title"].as_str().unwrap_or("?"),
                count(&error["count"])
            )
        })
        .collect();
    Ok(Outcome {
        name,
        operations: count(&report["operations"]["tested"]),
        test_cases: count(&report["test_cases"]["generated"]),
        failures,
        errors,
    })
}

/// Prints one line per run and every failure; an error when any run found one.
fn summarize(outcomes: &[Outcome]) -> Result<(), String> {
    println!("\n==> fuzzing summary (checks: {CHECKS})");
    let mut found = 0;
    for outcome in outcomes {
        let problems = outcome.failures.len() + outcome.errors.len();
        found += problems;
        println!(
            "  {}: {} operations, {} test cases, {}",
            outcome.name,
            outcome.operations,
            outcome.test_cases,
            if problems == 0 {
                "no failures".to_owned()
            } else {
                format!("{problems} kinds of failure")
            }
        );
        for line in outcome.failures.iter().chain(&outcome.errors) {
            println!("    {line}");
        }
    }
    println!(
        "Reports: {}",
        workspace_root().join(".waypost/fuzz-report").display()
    );
    if found == 0 {
        Ok(())
    } else {
        Err(format!(
            "schemathesis found {found} kinds of failure (details above)"
        ))
    }
}
